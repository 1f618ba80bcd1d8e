"""``python -m bench.inapp pkg.module:function '{"kw": ...}'``: call a function inside an
app context (used by ``Context.in_app`` for data setup through app services). Prints the
function's return value as JSON on the last line."""
import importlib
import json
import sys


def main() -> None:
    target, kwargs = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    module_name, _, func_name = target.partition(":")
    from app import create_app

    app = create_app()
    with app.app_context():
        result = getattr(importlib.import_module(module_name), func_name)(**kwargs)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
