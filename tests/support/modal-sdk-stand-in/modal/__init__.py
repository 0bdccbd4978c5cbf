"""STAND-IN for the `modal` Python SDK (no Modal here): just enough of App, Image and Volume for a test to import the
studio's generated app file and call its function body on this machine; Volume.commit() calls are counted."""


class _Image:
    def __init__(self, steps):
        self.steps = steps

    @staticmethod
    def debian_slim(python_version=None):
        return _Image([("debian_slim", python_version)])

    def pip_install(self, *packages):
        return _Image(self.steps + [("pip_install", list(packages))])


Image = _Image


class Volume:
    def __init__(self, name):
        self.name = name
        self.commits = 0

    @staticmethod
    def from_name(name, create_if_missing=False):
        if not create_if_missing:
            raise RuntimeError("the stand-in only supports create_if_missing=True")
        return Volume(name)

    def commit(self):
        self.commits += 1


class App:
    def __init__(self, name):
        self.name = name
        self.functions = {}

    def function(self, **options):
        def wrap(fn):
            self.functions[fn.__name__] = options
            return fn

        return wrap

    def local_entrypoint(self):
        return lambda fn: fn
