"""``python -m seeds.generator`` entry point (same as the ``crm-seeds`` script)."""

from seeds.generator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
