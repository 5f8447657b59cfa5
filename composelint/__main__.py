from composelint.cli import main

main()
