from chainlead.cli import main

main()
