"""What a build keeps for the next one, and how files are written: the one owner of build/cache
(store: a value under a key; memo: the pipeline's per-file results) and of atomic writes and
hard links (files)."""
