#!/usr/bin/env python
"""Django's command-line utility; the same as the `metodist` console script."""

from metodist.__main__ import main

if __name__ == "__main__":
    main()
