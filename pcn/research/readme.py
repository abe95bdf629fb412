"""The two notes shipped in every research export: LISEZ-MOI.txt (French) and README.txt (English).

They are written for the researchers who open the ZIP, not translated through gettext: both languages are
always in the file, whatever the language of the person who downloaded it."""


def _files(facts: dict, lang: str) -> str:
    lines = []
    for dataset in facts["datasets"]:
        what = dataset.fr if lang == "fr" else dataset.en
        count = len(dataset.rows)
        rows = f"{count} ligne{'s' if count > 1 else ''}" if lang == "fr" else f"{count} row{'s' if count != 1 else ''}"
        lines.append(f"- {dataset.name}.csv ({rows}) : {what}" if lang == "fr"
                     else f"- {dataset.name}.csv ({rows}): {what}")
    return "\n".join(lines)


def _left_out(facts: dict, lang: str) -> str:
    names = ", ".join(f"{name}.csv" for name in facts.get("not_in_workbook", []))
    if not names:
        return ""
    if lang == "fr":
        return f" (sauf {names} : plus d'un million de lignes, trop pour une feuille Excel ; voyez le CSV)"
    return f" (except {names}: over a million rows, too many for an Excel sheet; see the CSV)"


def readme_fr(facts: dict, workbook: str) -> str:
    return f"""EXPORT POUR LA RECHERCHE — DONNÉES DÉPERSONNALISÉES
Programme : {facts["program"]}
Saison : {facts["season"]} (du {facts["starts_on"].isoformat()} au {facts["ends_on"].isoformat()})
Produit le : {facts["made_on"].isoformat()}
Seuil des petits nombres : {facts["threshold"]}

Le programme a accepté de partager ces données avec la recherche. Elles ne servent qu'au projet pour lequel
vous les avez reçues. N'essayez jamais de retrouver un ménage ou une personne.

FICHIERS
{_files(facts, "fr")}
- {workbook} : les mêmes tableaux dans un classeur, une feuille par fichier{_left_out(facts, "fr")}.
- README.txt : ce texte en anglais.

Chaque colonne de chaque fichier est décrite dans dictionary.csv (nom, type, unité, description en
français et en anglais). Les fichiers CSV sont en UTF-8 (avec marque d'ordre d'octets), séparés par des
virgules, une ligne d'en-tête.

CONVENTIONS
- Semaines : une date est toujours ramenée au lundi de sa semaine ISO 8601 (la semaine va du lundi au
  dimanche), à l'heure du Québec (America/Toronto), écrite AAAA-MM-JJ. Aucune date plus précise n'est donnée.
- Montants : en dollars, avec un point décimal (12.50). Dans un programme à monnaie locale, les coupons sont
  comptés à leur valeur nominale.
- Identifiants : household_id (H…) et vendor_id (V…) sont tirés au hasard à chaque export. Ils relient les
  fichiers d'un même export entre eux, mais pas deux exports entre eux.
- « (total) » dans une colonne de classement marque une ligne de total (marge) d'un tableau.

QUI EST DANS LES FICHIERS
- households.csv et distributions.csv : seulement les ménages dont le dernier consentement noté pour la
  recherche est « oui ». Les ménages qui ont refusé, ou retiré leur accord, ou qui ont demandé
  l'anonymisation de leur dossier, n'y sont pas.
- redemptions.csv et redemption_counts.csv : tous les coupons et achats par carte présentés aux marchands
  pendant la saison. Un coupon est au porteur : rien ne relie ces lignes à un ménage, et aucune colonne ne
  le permet.
- agg_*.csv : des totaux sur tous les ménages inscrits de la saison (qu'ils aient accepté la recherche ou
  non ; la liste d'attente n'est pas comptée) et sur tous les échanges. Ils ne décrivent personne en
  particulier, d'où la règle des petits nombres ci-dessous.

RÈGLE DES PETITS NOMBRES (TABLEAUX agg_*)
Chaque tableau croise deux classements (par exemple organisme × taille du ménage) et donne ses totaux par
ligne, par colonne et le total général.
1. Toute cellule, ou tout total, dont le nombre est plus grand que 0 et plus petit que {facts["threshold"]} est
   cachée (cellule vide, suppressed = 1). Les zéros sont montrés. Dans les tableaux sur les ménages, la
   cellule est cachée aussi quand la part qui n'est pas dans households.csv (ce qu'on obtiendrait en
   soustrayant les lignes du fichier) est plus grande que 0 et plus petite que {facts["threshold"]} : on ne peut pas
   décrire ainsi un petit groupe de ménages qui n'ont pas accepté la recherche.
2. Pour qu'une cellule cachée ne se retrouve pas par soustraction à partir d'un total publié, d'autres
   cellules sont cachées aussi (suppression complémentaire) : dans chaque ligne et chaque colonne du tableau
   (totaux compris), il n'y a jamais exactement une cellule cachée ; quand le total d'une ligne est publié,
   ses cellules cachées totalisent au moins {facts["threshold"]} ; et aucune cellule cachée ne se déduit non plus
   en combinant plusieurs lignes et colonnes (on cache au besoin une cellule de plus pour fermer la chaîne).
   La cellule ajoutée est la plus petite non nulle qui protège le plus de lignes à la fois.
3. Dans un tableau qui donne un nombre et un montant, le montant est caché partout où le nombre l'est.
4. Un zéro n'est jamais caché, sauf dans un tableau caché en entier : cela arrive, rarement, quand seules des
   cellules nulles pourraient encore protéger une cellule cachée.
Une cellule cachée n'est donc pas forcément petite : elle peut avoir été cachée pour en protéger une autre.

CE QUI A ÉTÉ RETIRÉ, ET POURQUOI
- Les codes des ménages, des cartes et des coupons : ils sont imprimés sur la carte ou le coupon et
  permettraient de relier une ligne à une personne ou à un papier.
- Les identifiants internes de la base de données : ils sont stables et permettraient de relier des
  exports entre eux ou à d'autres données du programme.
- Les dates exactes (inscription, remises, échanges) : remplacées par la semaine.
- Le nom des marchands : une petite ferme, c'est souvent une seule personne. Le type de marchand
  (producteur, transformateur, artisan) et un identifiant tiré au hasard le remplacent. Le nom des marchés
  et des organismes partenaires est gardé : ce sont des lieux et des organismes publics (ils sont dans le
  répertoire public du programme).
- La communauté, la langue préférée, les notes écrites par les intervenants, la date d'entrée sur la liste
  d'attente et qui a saisi quoi : ce sont des détails qui peuvent désigner quelqu'un dans un petit milieu,
  sans utilité pour les indicateurs du programme.
- Le programme ne conserve de toute façon ni nom, ni adresse, ni téléphone, ni date de naissance.
"""


def readme_en(facts: dict, workbook: str) -> str:
    return f"""RESEARCH EXPORT — DE-IDENTIFIED DATA
Program: {facts["program"]}
Season: {facts["season"]} ({facts["starts_on"].isoformat()} to {facts["ends_on"].isoformat()})
Made on: {facts["made_on"].isoformat()}
Small-cell threshold: {facts["threshold"]}

The program agreed to share these data with research. Use them only for the project you received them for.
Never try to find out who a household or a person is.

FILES
{_files(facts, "en")}
- {workbook}: the same tables as one workbook, one sheet per file{_left_out(facts, "en")}.
- LISEZ-MOI.txt: this text in French.

Every column of every file is described in dictionary.csv (name, type, unit, description in French and
English). CSV files are UTF-8 (with a byte order mark), comma-separated, with one header line.

CONVENTIONS
- Weeks: every date is brought back to the Monday of its ISO 8601 week (Monday to Sunday), in Québec time
  (America/Toronto), written YYYY-MM-DD. No finer date is given.
- Amounts: in dollars, with a decimal point (12.50). In a program with a local currency, coupons are
  counted at their face value.
- Identifiers: household_id (H…) and vendor_id (V…) are drawn at random for each export. They link the
  files of one export together, but never two exports.
- « (total) » in a classification column marks a total (margin) line of a table.

WHO IS IN THE FILES
- households.csv and distributions.csv: only households whose latest recorded research consent is « yes ».
  Households that refused, withdrew their consent, or had their record anonymized are not there.
- redemptions.csv and redemption_counts.csv: every coupon and card purchase presented to vendors during the
  season. A coupon is a bearer instrument: nothing links these rows to a household, and no column allows it.
- agg_*.csv: totals over all the season's enrolled households (with or without research consent; the waiting
  list is not counted) and over all redemptions. They describe no one in particular, hence the small-cell
  rule below.

SMALL-CELL RULE (agg_* TABLES)
Each table crosses two classifications (e.g. partner × household size) and gives its row totals, column
totals and grand total.
1. Every cell or total whose count is above 0 and below {facts["threshold"]} is suppressed (blank cell,
   suppressed = 1). Zeros are shown. In the tables about households, a cell is also suppressed when the
   part of it that is not in households.csv (what subtracting the file's rows would give) is above 0 and
   below {facts["threshold"]}: a small group of households that did not consent to research cannot be described
   that way.
2. So that a suppressed cell cannot be worked out by subtraction from a published total, other cells are
   suppressed too (complementary suppression): no row or column of a table (totals included) ever has
   exactly one suppressed cell; when a row's total is published, its suppressed cells add up to at least
   {facts["threshold"]}; and no suppressed cell can be derived by combining several rows and columns either (one more
   cell is suppressed where needed to close the chain). The cell added is the smallest non-zero one that
   protects the most lines at once.
3. In a table giving a count and an amount, the amount is suppressed wherever the count is.
4. A zero is never suppressed, except in a table suppressed whole: this happens, rarely, when only zero cells
   could still protect a suppressed cell.
A suppressed cell is therefore not necessarily small: it may have been hidden to protect another one.

WHAT WAS REMOVED, AND WHY
- Household, card and coupon codes: they are printed on the card or coupon and would link a row to a
  person or a piece of paper.
- Internal database identifiers: they are stable and would link exports to each other or to other data of
  the program.
- Exact dates (enrolment, distributions, redemptions): replaced by the week.
- Vendors' names: a small farm is often one person. The vendor's kind (producer, processor, artisan) and an
  identifier drawn at random stand in for it. The names of markets and partner organizations are kept: they
  are public places and bodies (listed in the program's public directory).
- Community, preferred language, notes typed by workers, the date of joining the waiting list, and who
  recorded what: details that can point to someone in a small place, of no use for the program's indicators.
- The program keeps no name, address, phone number or birth date in any case.
"""
