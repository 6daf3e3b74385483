"""`python -m bot` runs the `hrbot` command line."""

from bot.cli import main

if __name__ == "__main__":
    main()
