"""``python -m lsp_server [--stdio | --tcp HOST:PORT] [--untrusted]``: ``marginalia serve``.

The options go through the same parser, so ``--untrusted`` is never silently ignored here.
"""

import sys

from lsp_server.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
