from interform.cli import main

main()
