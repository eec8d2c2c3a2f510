import sys


# <greet>
def greet(name):
    """Say hello."""
    print(f"Hello, {name}!")
# </greet>


if __name__ == "__main__":
    greet(sys.argv[1] if len(sys.argv) > 1 else "world")
