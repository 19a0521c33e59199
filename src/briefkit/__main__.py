from briefkit.cli import main

main(prog_name="briefkit")
