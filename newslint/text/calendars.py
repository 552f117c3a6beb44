"""Month names in the languages newslint reads dates in, and the calendars
they belong to.

`MONTH_NUMBER` maps each (case-folded) month name or abbreviation to its
month: 1-12 for the Gregorian calendar in English, German, French, Spanish,
Russian, Dutch, Italian, Portuguese, Arabic (both the Levantine "نيسان" and the
Egyptian "أبريل" names), Hindi, Bengali and Thai; 101-112 for the months of the
Solar Hijri (Persian) calendar, which `gregorian` converts. Thai years in the
Buddhist era (2400-2799) are shifted by 543 years. Persian and Arabic spellings
differ in two letters (ی/ي, ک/ك), Bengali in one composed letter (য়): every
spelling is listed.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

SOLAR_HIJRI = 100  # added to a Persian month's number
BUDDHIST_ERA = range(2400, 2800)

MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene",
        "январь", "января", "янв", "januari", "gennaio", "gen", "janeiro",
        "يناير", "كانون الثاني", "जनवरी", "জানুয়ারি", "জানুয়ারী", "มกราคม", "ม.ค."),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fév", "febrero",
        "февраль", "февраля", "февр", "фев", "februari", "febbraio", "fevereiro", "fev",
        "فبراير", "شباط", "फरवरी", "फ़रवरी", "ফেব্রুয়ারি", "ফেব্রুয়ারী", "กุมภาพันธ์", "ก.พ."),
    3: ("march", "mar", "märz", "maerz", "mrz", "mär", "mars", "marzo", "март", "марта",
        "maart", "mrt", "março", "marco", "مارس", "آذار", "मार्च", "মার্চ", "มีนาคม", "มี.ค."),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "апрель", "апреля", "апр", "aprile",
        "أبريل", "ابريل", "إبريل", "نيسان", "अप्रैल", "এপ্রিল", "เมษายน", "เม.ย."),
    5: ("may", "mai", "mayo", "май", "мая", "mei", "maggio", "mag", "maio",
        "مايو", "أيار", "ايار", "मई", "মে", "พฤษภาคม", "พ.ค."),
    6: ("june", "jun", "juni", "juin", "junio", "июнь", "июня", "июн", "giugno", "giu", "junho",
        "يونيو", "يونيه", "حزيران", "जून", "জুন", "มิถุนายน", "มิ.ย."),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "июль", "июля", "июл", "luglio",
        "lug", "julho", "يوليو", "يوليه", "تموز", "जुलाई", "জুলাই", "กรกฎาคม", "ก.ค."),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "август", "августа", "авг",
        "augustus", "أغسطس", "اغسطس", "آب", "अगस्त", "আগস্ট", "สิงหาคม", "ส.ค."),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "сентябрь",
        "сентября", "сент", "сен", "settembre", "set", "setembro", "سبتمبر", "أيلول", "ايلول",
        "सितंबर", "सितम्बर", "সেপ্টেম্বর", "กันยายน", "ก.ย."),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "октябрь", "октября", "окт",
         "ottobre", "ott", "outubro", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول",
         "अक्टूबर", "अक्तूबर", "অক্টোবর", "ตุลาคม", "ต.ค."),
    11: ("november", "nov", "novembre", "noviembre", "ноябрь", "ноября", "нояб", "ноя",
         "novembro", "نوفمبر", "تشرين الثاني", "नवंबर", "नवम्बर", "নভেম্বর", "พฤศจิกายน", "พ.ย."),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "декабрь", "декабря", "дек", "dicembre", "dezembro", "ديسمبر", "كانون الأول",
         "كانون الاول", "दिसंबर", "दिसम्बर", "ডিসেম্বর", "ธันวาคม", "ธ.ค."),
}
PERSIAN_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
                  "آذر", "دی", "بهمن", "اسفند")


def _spellings(name: str) -> set[str]:
    """The name with Persian and Arabic yeh/kaf, composed and decomposed."""
    out = {name}
    for a, b in (("ی", "ي"), ("ک", "ك")):
        out |= {s.replace(a, b) for s in out} | {s.replace(b, a) for s in out}
    out |= {unicodedata.normalize(form, s) for s in out for form in ("NFC", "NFD")}
    return {s.casefold() for s in out}


def _month_numbers() -> dict[str, int]:
    table = {}
    for number, names in MONTHS.items():
        for name in names:
            table.update(dict.fromkeys(_spellings(name), number))
    for number, name in enumerate(PERSIAN_MONTHS, start=1):
        table.update(dict.fromkeys(_spellings(name), SOLAR_HIJRI + number))
    return table


MONTH_NUMBER = _month_numbers()


def gregorian(year: int, month: int, day: int, solar_hijri: bool = False) -> dt.date:
    """The Gregorian date of a date written in the Gregorian calendar (a Thai
    Buddhist-era year is shifted) or, with `solar_hijri`, in the Persian one.
    Raises ValueError for a day that does not exist."""
    if solar_hijri:
        return _from_solar_hijri(year, month, day)
    if year in BUDDHIST_ERA:
        year -= 543
    return dt.date(year, month, day)


def _from_solar_hijri(year: int, month: int, day: int) -> dt.date:
    """Persian (Solar Hijri) to Gregorian: 1 Farvardin 1399 is 20 March 2020.
    Day numbers by the widely used arithmetic rule (jdf / Pournader-Toossi),
    counted from that known Nowruz."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        raise ValueError("no such Solar Hijri day")
    if month == 12 and day == 30 and _day_number(year + 1, 1, 1) - _day_number(year, 1, 1) != 366:
        raise ValueError("no such Solar Hijri day")
    return _NOWRUZ_1399 + dt.timedelta(days=_day_number(year, month, day) - _day_number(1399, 1, 1))


_NOWRUZ_1399 = dt.date(2020, 3, 20)


def _day_number(year: int, month: int, day: int) -> int:
    y = year + 1595
    days = 365 * y + (y // 33) * 8 + ((y % 33) + 3) // 4 + day
    return days + ((month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30)
