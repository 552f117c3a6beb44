"""News agencies whose names stand alone as a credit ("(AP) —", "…PTI",
"[ Bloomberg ]"): shared by the attribution family (who published this) and the
damage family (an ending on an agency tag is no truncation)."""
from __future__ import annotations

#: a regex alternation of agency names (case-sensitive)
AGENCY = (r"AP|AFP|Reuters|dpa|DPA|EFE|ANSA|TASS|ТАСС|Xinhua|UPI|PTI|IANS|ANI|UNI|Interfax"
          r"|Bloomberg|RIA|РИА Новости|Интерфакс|Kyodo|Yonhap|KNA|APA|SDA|Belga|ANP|Europa Press"
          r"|Anadolu|WAM|KUNA|QNA|IRNA|Bernama|Antara|CNA|NHK|AAP|Lusa|Agerpres|CTK|PAP"
          r"|MTI|HINA|Tanjug|BTA|Ukrinform|UNIAN")
#: the same names as a tuple, for `str.endswith` and the like
AGENCY_NAMES = tuple(AGENCY.split("|"))
