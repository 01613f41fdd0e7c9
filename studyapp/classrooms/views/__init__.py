"""Class pages, one module per area of the class (the class itself, its assignments, the roster
import, item statistics, a learner's page, notifications). Every view needs a signed-in user
(LoginRequiredMiddleware) and reaches a class only through ``access.access_classroom``."""
