"""What a build keeps for the next one, and how files are written: the one owner of build/cache
(build_state: every file there, by what it is for; store: a value under a key; memo: the
pipeline's per-file results), of the one decision "which pages are outdated?" (outdated), and of
atomic writes and hard links (files)."""
