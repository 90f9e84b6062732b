# An uncaught custom exception raised three frames deep.
class ConfigError(Exception):
    pass


def load(name):
    if name.startswith("bad"):
        raise ConfigError(f"cannot load {name!r}")
    return {"name": name}


def configure(names):
    loaded = []
    for n in names:
        loaded.append(load(n))
    return loaded


def main():
    print(configure(["good"]))
    configure(["ok", "bad-one"])


main()
