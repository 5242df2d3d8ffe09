"""placeholder"""
def add_parser(commands):
    return commands.add_parser("scale", help="scale")
