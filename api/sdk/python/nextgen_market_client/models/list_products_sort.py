from enum import StrEnum

class ListProductsSort(StrEnum):
    NAME = "name"
    NEWEST = "newest"
    PRICE = "price"
    RELEVANCE = "relevance"
    VALUE_3 = "-price"

    def __str__(self) -> str:
        return str(self.value)
