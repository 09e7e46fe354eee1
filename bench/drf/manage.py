#!/usr/bin/python3
"""Django's command-line utility for the DRF side of the benchmark."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchdrf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
