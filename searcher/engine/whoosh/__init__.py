"""The embedded Whoosh engine: the on-disk index, its writers, BM25F ranking and exact counts."""
