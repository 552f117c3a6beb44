"""The page-chrome classifier (NL130): runs of chrome around an article, one
finding per run with its kind, the unsafe fix, languages, the shipped model."""
import json

from newslint.checks.boilerplate import chrome_features, chrome_model, page_chrome
from newslint.config import Settings
from newslint.fixes import apply_edits
from newslint.loaders.plaintext import article_from_text
from newslint.run.engine import Engine

MENU = ["Home", "News", "World", "Politics", "Business", "Opinion", "Sport", "Culture",
        "Video", "Newsletters", "Subscribe", "Sign in"]
STORIES = ["Five things to know about the new rail timetable",
           "Council leader steps down after budget row",
           "Why the price of eggs keeps going up this winter",
           "Local school wins national robotics contest",
           "Storm warning issued for the coast this weekend"]
FOOTER = ["About us", "Contact us", "Careers", "Advertise with us", "Terms of use",
          "Privacy policy", "Cookie settings", "© 2025 Harbour Gazette Ltd. All rights reserved."]
ARTICLE = [
    "The council voted on Tuesday to rebuild the harbour wall, ending a dispute that has divided "
    "the town for years, the clerk said after the meeting.",
    "Work on the wall will start in the spring and is expected to take two years, according to "
    "the plan the councillors approved by seven votes to two.",
    "Residents who had opposed the plan said they would keep watching the costs, which the "
    "town's own engineers put at four million pounds over the two years.",
]


def chrome(text, **options):
    rule = page_chrome.PageChrome()
    article = article_from_text("page.txt", text)
    return article, list(rule.check(article, {**rule.options, **options}))


def page(*parts):
    return "\n".join(line for part in parts for line in part) + "\n"


def line_of(text, needle):
    return text.split("\n").index(needle) + 1


def test_chrome_before_the_article_untouched_chrome_after():
    text = page(["Harbour wall to be rebuilt | Harbour Gazette"], MENU,
                ["Harbour wall to be rebuilt"], ARTICLE, ["More from the Gazette"], STORIES, FOOTER)
    _, found = chrome(text)
    covered = {n for f in found for n in range(f.line, f.end_line + 1)}
    article_lines = {line_of(text, p) for p in ARTICLE}
    assert not covered & article_lines
    assert {line_of(text, m) for m in MENU} <= covered
    assert {line_of(text, s) for s in FOOTER} <= covered
    assert min(covered) < min(article_lines) and max(covered) > max(article_lines)
    kinds = [dict(f.data)["kind"] for f in found]
    assert kinds[0] == "page title" and found[0].line == 1


def test_one_finding_per_run_names_its_lines_and_kind():
    text = page(["Harbour wall to be rebuilt"], MENU, ARTICLE)
    _, found = chrome(text)
    assert len(found) == 1
    f = found[0]
    assert (f.line, f.end_line) == (2, 1 + len(MENU))
    assert f.message == f"lines 2-{1 + len(MENU)}: navigation menu, {len(MENU)} lines"
    assert f.code == "NL130" and f.fix is not None and not f.fix.safe


def test_the_unsafe_fix_removes_the_runs_and_keeps_the_article():
    text = page(["Harbour wall to be rebuilt"], MENU, ARTICLE, FOOTER)
    article, found = chrome(text)
    fixed, used = apply_edits(article.source, [f.fix for f in found])
    assert len(used) == len(found) == 2
    assert fixed.split("\n")[:4] == ["Harbour wall to be rebuilt", *ARTICLE]
    assert not any(line in fixed for line in MENU + FOOTER)


def test_a_clean_article_with_subheadings_and_a_list_is_left_alone():
    text = page(["Harbour wall to be rebuilt"], ARTICLE[:2], ["What happens next"],
                ["The plan has three stages:"], ["- survey the old wall", "- pour the footings",
                                                 "- build the new wall"], ARTICLE[2:],
                ["Costs", "The engineers' estimate is four million pounds, the clerk said, and "
                 "the council will review it every six months until the work is done."])
    assert chrome(text)[1] == []


def test_an_article_with_a_long_list_of_short_lines_is_not_a_page():
    days = ["Monday", "Vegetable lasagne with garden salad", "Tuesday", "Baked fish with potatoes",
            "Wednesday", "Chicken curry with rice", "Thursday", "Vegetable soup and bread",
            "Friday", "Fish pie with peas"]
    text = page(["School meals for the first week"], ["By Imogen Faraday", "Published: 9 September 2024"],
                ARTICLE[:1], days, ["Families who want to change their child's meals can contact the "
                                    "school office.", "Source: Saltmere Schools Bulletin"])
    assert chrome(text)[1] == []
    lines = [line for line in text.split("\n")[1:] if line.strip()]
    assert not page_chrome.looks_like_a_page(lines, 3)
    assert page_chrome.looks_like_a_page(MENU + ARTICLE + FOOTER, 3)


def test_short_articles_are_not_classified():
    assert chrome(page(["Title"], MENU[:4], ARTICLE[:1]), min_lines=8)[1] == []


def test_menus_in_other_languages():
    menus = {
        "de": ["Startseite", "Politik", "Wirtschaft", "Kultur", "Sport", "Wissen", "Reisen",
               "Newsletter", "Abo", "Anmelden"],
        "fr": ["Accueil", "Politique", "Économie", "Culture", "Sport", "Idées", "Voyage",
               "Newsletters", "S'abonner", "Connexion"],
        "ru": ["Главная", "Политика", "Экономика", "Культура", "Спорт", "Наука", "Путешествия",
               "Рассылки", "Подписка", "Войти"],
    }
    bodies = {
        "de": ["Der Stadtrat hat am Dienstag beschlossen, die Hafenmauer neu zu bauen, und damit "
               "einen Streit beendet, der die Stadt seit Jahren spaltet.",
               "Die Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern, wie aus dem Plan "
               "hervorgeht, den die Räte mit sieben zu zwei Stimmen annahmen.",
               "Anwohner, die gegen den Plan waren, sagten, sie würden die Kosten genau im Auge "
               "behalten, die die Ingenieure der Stadt auf vier Millionen Euro schätzen."],
        "fr": ["Le conseil a voté mardi la reconstruction du mur du port, mettant fin à un "
               "différend qui divise la ville depuis des années, a indiqué le greffier.",
               "Les travaux commenceront au printemps et devraient durer deux ans, selon le plan "
               "que les conseillers ont approuvé par sept voix contre deux.",
               "Les habitants qui s'opposaient au projet ont dit qu'ils surveilleraient les coûts, "
               "que les ingénieurs de la ville estiment à quatre millions d'euros."],
        "ru": ["Городской совет во вторник проголосовал за восстановление портовой стены, положив "
               "конец спору, который много лет разделял город, сообщил секретарь.",
               "Работы начнутся весной и продлятся два года, согласно плану, который депутаты "
               "одобрили семью голосами против двух.",
               "Жители, выступавшие против плана, сказали, что будут следить за расходами, "
               "которые инженеры города оценивают в четыре миллиона."],
    }
    for lang, menu in menus.items():
        text = page(["Title"], menu, bodies[lang])
        _, found = chrome(text)
        assert [(f.line, f.end_line) for f in found] == [(2, 1 + len(menu))], lang
        words = [w.lower() for line in bodies[lang] for w in chrome_features.WORD_RE.findall(line)]
        assert chrome_features.page_language(words) == lang


def test_the_shipped_model_is_json_and_fits_the_features():
    raw = json.loads(chrome_model.MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["features"] == chrome_features.feature_names()
    assert len(raw["stage1"]["weights"]) == len(chrome_features.feature_names())
    assert raw["stage2_features"] == list(chrome_model.STAGE2_NAMES)
    assert len(raw["stage2"]["weights"]) == len(chrome_model.STAGE2_NAMES)
    assert 0.5 <= raw["threshold"] < 1
    assert raw["held_out"]["pages"] > 0 and raw["held_out"]["precision"] >= 0.97


def test_records_and_html_report_at_their_lines(tmp_path):
    body = "\\n".join(MENU + ARTICLE)
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "Harbour wall", "text": "' + body + '"}\n', encoding="utf-8")
    html = tmp_path / "b.html"
    html.write_text("<html><body><h1>Harbour wall</h1>" + "".join(f"<p>{m}</p>\n" for m in MENU)
                    + "".join(f"<p>{p}</p>\n" for p in ARTICLE) + "</body></html>", encoding="utf-8")
    found = Engine(Settings(select=["NL130"], cache=False, jobs=1)).run(
        [str(path), str(html)]).findings
    by_path = {f.path: f for f in found}
    assert by_path[str(path)].line == 1 and "navigation menu" in by_path[str(path)].message
    assert by_path[str(html)].line == 1 and by_path[str(html)].end_line == len(MENU)
