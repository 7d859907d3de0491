from dockerstore_lint.cli import main

main()
