"""``python -m fixer`` runs the command-line interface."""

from fixer.cli import main

if __name__ == "__main__":
    main()
