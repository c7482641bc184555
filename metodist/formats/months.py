"""Month names in the genitive ("25 қараша"), as Django's date format `E` asks for them.

Django's own Kazakh catalogue capitalises them ("25 Қараша"); Kazakh running text writes months in lower
case. Listing them here puts them in our catalogues, which take precedence over Django's.
"""

from django.utils.translation import pgettext_lazy

MONTHS_GENITIVE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
