"""Run as a separate process: finalise the given invoice ids concurrently (threads)."""
import os
import sys
from concurrent.futures import ThreadPoolExecutor


def main(ids: list[str]) -> None:
    from app import create_app
    from app.core.actor import Actor

    app = create_app()

    def one(ident: str) -> str:
        from app.invoices import service

        from app.core.uow import unit_of_work

        with app.app_context(), unit_of_work():
            return service.finalise(ident, actor=Actor.system("finaliser")).number

    with ThreadPoolExecutor(max_workers=int(os.environ.get("THREADS", "8"))) as pool:
        for number in pool.map(one, ids):
            print(number)


if __name__ == "__main__":
    main(sys.argv[1:])
