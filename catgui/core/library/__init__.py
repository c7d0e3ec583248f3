"""The library index: which of a photo collection's files show a cat, remembered.

One SQLite database (WAL) per library. A scan (:mod:`.scan`) walks folders, reads only new
or changed files, runs each distinct picture through the backbone once, and stores its
features compactly (float16, :mod:`.blobs`) in chunks of many pictures (:mod:`.chunks`),
with one row per file; any model on the same backbone then scores every stored picture
from those features (:mod:`.rescore`, :mod:`.scoring`) without running the backbone
again. :mod:`.query` lists and counts, :mod:`.export` copies or links.

Headless: no Qt, no matplotlib. The layout and its versions are in :mod:`.schema`; the
connection, the one-writer lock and transactions in :mod:`.index`.
"""
