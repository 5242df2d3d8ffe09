"""placeholder"""
def add_parser(commands):
    return commands.add_parser("optimize", help="optimize")
