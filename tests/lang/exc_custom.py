class AppError(Exception):
    pass
class NotFound(AppError):
    def __init__(self, what):
        super().__init__(f"{what} not found")
        self.what = what
try:
    raise NotFound("config")
except AppError as e:
    print(type(e).__name__, e, e.what, e.args)
print(isinstance(NotFound("x"), Exception), issubclass(NotFound, AppError))
