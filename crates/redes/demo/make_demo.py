#!/usr/bin/env python3
"""Build crates/redes/demo/demo.json from the seeds and the real data in ../shared.

Python 3 standard library only.  Run from anywhere:

    python3 crates/redes/demo/make_demo.py [--shared /work/shared]

Inputs (read-only):
  seeds/001_*.txt                          charters of the 15 RME (copied verbatim)
  data/chile/directorio_oficial_ee_2025.csv  RBD, name, commune, coordinates, dependency, levels
  data/mexico/cct_queretaro_activos.csv    the Mexican zone (Tequisquiapan cabecera)

Everything that is not read from those files is synthetic and is marked so in the JSON
(see README.md next to this script).
"""
import argparse
import csv
import glob
import json
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------------------
# Chile: the 15 networks of seed 001, in the seed's order.
# Each school: (seed_name exactly as in the seed, RBD or None, note, fallback for seed_only)
# RBDs were chosen by hand after searching the directory within the network's
# commune/province (see README.md, "How the schools were matched").
# --------------------------------------------------------------------------------------
NETWORKS = [
    dict(id="rme-arica-red-basica-1", region="Arica y Parinacota", province_or_area="Arica",
         main_commune="Arica", dependency_seed="Municipal",
         schools=[
             ("Espiguitas", 2, "directorio: PARVULARIO LAS ESPIGUITAS"),
             ("República Argentina", 26, None),
             ("Esmeralda", 27, None),
             ("Ignacio Carrera Pinto", 36, None),
             ("Jorge Alessandri Rodríguez", 12501, None),
             ("Tucapel", 20, None),
             ("Gabriela Mistral", 22, None),
             ("General José Miguel Carrera", 12, None),
             ("España", 38, None),
             ("Subteniente Luis Cruz Martínez", 17, None),
             ("Regimiento Rancagua", 16, "not 12596 (its closed annex)"),
         ]),
    dict(id="rme-tarapaca-emtp-municipal", region="Tarapacá", province_or_area="Iquique",
         main_commune="Iquique", dependency_seed="Municipal",
         schools=[
             ("Instituto Comercial Baldomero Wolnistky", 97,
              "directorio spells WOLNITZKY"),
             ("Politécnico José Gutiérrez de Fuente", 108,
              "directorio: LICEO POLITEC. JOSE GUTIERREZ DE LA FUEN"),
             ("Elena Duvauchelle", 109,
              "directorio: COLEGIO DEPORTIVO TEC. PROF. ELENA DUVAUCHELLE CABEZON"),
             ("Luis Cruz Martínez", 124, None),
             ("Colegio Deportivo", 12683,
              "directorio: LICEO COLEGIO DEPORTIVO, closed (ESTADO_ESTAB 3); the seed lists it "
              "apart from Elena Duvauchelle, whose current name now includes 'Colegio Deportivo'"),
         ]),
    dict(id="rme-antofagasta-parvulos-ps", region="Antofagasta", province_or_area="El Loa",
         main_commune="Calama", dependency_seed="Particular subvencionado",
         area_note="The seed's title says 'Antofagasta' (the region); the network is in the "
                   "commune of Calama, province/DEPROV El Loa.",
         schools=[
             ("Mickey Mouse", 262, None),
             ("Saint Patrick School", 10975, None),
             ("Tierno Amanecer", 12831, None),
             ("King Lions School", 12861, None),
             ("Casita de Chocolate", 12865, None),
             ("Gato con Botas", 12869, None),
             ("Albert Einstein School", None,
              "no school of that name in Calama (or El Loa) in the 2025 directory",
              dict(commune="Calama", levels=["parvularia"], rural=False)),
             ("Planeta Tierra", 12979, None),
             ("Tinkerbel", 16939, "directorio spells TINKERBELL"),
             ("Planeta Tierra II", 16897, None),
             ("Escuela Especial de Lenguaje Camino de Amor", 12888, None),
         ]),
    dict(id="rme-atacama-emtp-huasco", region="Atacama", province_or_area="Huasco",
         main_commune="Vallenar", dependency_seed="Municipal",
         schools=[
             ("Politécnico de Vallenar", 13185,
              "directorio 2025: LICEO INSTITUTO TÉCNICO DE SERVICIOS PROFESIONALES; the SIMCE "
              "II medio 2024 file names RBD 13185 'LICEO POLITÉCNICO' (Vallenar)"),
             ("Alto del Carmen", 40340,
              "the only liceo (and only TP school) of the commune Alto del Carmen; the RBD may be "
              "later than 2015-2017"),
             ("Japón", 486, "commune Huasco"),
             ("Ramón Freire Serrano", 11038, "directorio: LICEO GENERAL RAMÓN FREIRE (Freirina)"),
             ("José Santos Ossa", 449, None),
             ("CEIA de Vallenar", 13122, None),
         ]),
    dict(id="rme-coquimbo-ps-1", region="Coquimbo", province_or_area="Elqui",
         main_commune="Coquimbo", dependency_seed="Particular subvencionado",
         schools=[
             ("Francisco Palau", 13372, "La Serena"),
             ("Intercultural", 13610, "La Serena"),
             ("Providencia", 575, "La Serena"),
             ("Isabel Riquelme", 566, "La Serena"),
             ("Santa Marta", 648, "Coquimbo"),
             ("Altué", 40208, "directorio: COLEGIO TECNICO PROFESIONAL ALTUE"),
             ("CEDIN Coquimbo", 13499, "directorio: ESC.ESP.DE TRANST. DE LA COM. CEDIN - TIERRA"),
             ("Kid's Word School", 13361,
              "directorio: KID´S WORLD SCHOOL (operating); 13338 and the annex 13444 are closed"),
             ("Bernardo O'Higgins", 646,
              "two candidates: 646 (Coquimbo, chosen: the network is centred on Coquimbo) and "
              "40298 (La Serena)"),
             ("Hellen Keller", 13637,
              "directorio: COLEGIO HELLEN KELLER PEÑUELAS (operating); 13468, a closed special "
              "school of the same name in Coquimbo, is the other candidate"),
             ("Manuel Montt", 647, None),
         ]),
    dict(id="rme-valparaiso-liga-aprende", region="Valparaíso", province_or_area="Quillota",
         main_commune="La Ligua", dependency_seed="Municipal",
         area_note="'Liga' is La Ligua (province Petorca), supervised by DEPROV Quillota.",
         schools=[
             ("República de Venezuela", 1122, None),
             ("Luis Cruz Martínez", 11199, "directorio: COLEGIO LUIS CRUZ MARTINEZ"),
             ("Escuela Poza Verde", 1132, None),
             ("Escuela Puyancón", 1136, None),
             ("Gabriela Mistral", 1123, "La Ligua, not 1430 (Calera)"),
             ("Diego Portales", 1125, None),
             ("Ministro Gómez Millas", 1139, None),
             ("Carlos Ariztía Ruiz", 1140, None),
             ("Comunidades de Valle Hermoso", 1128, None),
             ("Enrique Doll Rojas", 1145, None),
             ("Sol Naciente", 1126, "special school"),
             ("Centro de Educación de Adultos", 1120, "directorio: CENTRO DE EDUCACION DE ADULTOS LA LIGUA"),
             ("Liceo Pulmahue", 1121, None),
         ]),
    dict(id="rme-metropolitana-talagante", region="Metropolitana", province_or_area="Talagante",
         main_commune="Talagante", dependency_seed="Municipal",
         schools=[
             ("El Roto Chileno", 10689, None),
             ("Presidente Prieto", 10694, "today an adult-education school"),
             ("Talacanta", 10698, "closed (ESTADO_ESTAB 3)"),
             ("República de Grecia", 10699, "directorio: LICEO REPUBLICA DE GRECIA"),
             ("Manuel Rodríguez Erdoiza", 10702, None),
             ("Estrella de Belén", 10703, None),
             ("Alborada de Talagante", 10704, None),
             ("Luis Undurraga", 10705, None),
             ("El Pino Viejo de Lonquén", 10706, None),
             ("Tegualda", 24856, None),
             ("Liceo Polivalente Talagante", 10696,
              "directorio: LICEO TALAGANTE (HC, TP and adults); its closed annex 10701 is named "
              "LICEO POLIVALENTE DE TALAGANTE-ANEXO"),
             ("Liceo Politécnico de Talagante", 10697, None),
             ("Bicentenario María Soledad Meléndez Molina", 31294, None),
         ]),
    dict(id="rme-ohiggins-pichidegua", region="O'Higgins", province_or_area="Cachapoal",
         main_commune="Pichidegua", dependency_seed="Municipal",
         schools=[
             ("Larmahue", 2359, "operating ESCUELA LARMAHUE, not the closed 2370"),
             ("Amelia Linch", 2362, "directorio: ESCUELA AMELIA LYNCH DE LYON"),
             ("San Roberto", 2363, None),
             ("Reino de Dinamarca", 2364, None),
             ("Patagua Cerro", 2365, "directorio: ESCUELA BASICA PATAGUAS CERRO"),
             ("José Bernales Castillo", 2367, None),
             ("Centro Educativo Siglo XXI", 2360, None),
             ("Liceo municipal Latinoamericano", 2375, None),
         ]),
    dict(id="rme-maule-creciendo-juntos", region="Maule", province_or_area="Linares",
         main_commune="San Javier", dependency_seed="Municipal",
         area_note="All matched schools are in the commune of San Javier (province Linares).",
         schools=[
             ("Justa Narváez", 3482, None),
             ("José M. Balmaceda", 3480, None),
             ("Manuel de Salas", 3481, None),
             ("Gerónimo Lagos", 3483, "directorio: ESCUELA GERONIMO LAGOS LISBOA"),
             ("Ema Sepúlveda", None,
              "no school of that name in the 2025 directory (searched the whole country)",
              dict(commune="San Javier", levels=["básica"], rural=False)),
             ("Juan de Dios Aldea", 3491, None),
         ]),
    dict(id="rme-biobio-talcahuano", region="Biobío", province_or_area="Concepción",
         main_commune="Talcahuano", dependency_seed="Municipal",
         schools=[
             ("Buena Vista", 4746,
              "directorio 2025: ESCUELA BUENA VISTA ZAROR; SIMCE 2018: ESCUELA BASICA BUENA VISTA"),
             ("Huertos Familiares", 4747, "Talcahuano, not 4596 (San Pedro de la Paz)"),
             ("Cerro Zaror", None,
              "no school of its own in the 2025 directory; it may have merged into 4746 "
              "ESCUELA BUENA VISTA ZAROR",
              dict(commune="Talcahuano", levels=["básica"], rural=False)),
             ("Santa Clara", 4750, None),
             ("Península de Tumbes", 4753, None),
             ("Cerro San Francisco", 4754, None),
             ("Los Lobos", 11743, None),
             ("San Vicente", 12023, None),
             ("Nueva Los Lobos", 17693, None),
             ("Villa Centinela Sur", 17785, None),
             ("Párvulos San Francisco", 17836, "directorio: ESCUELA DE PÁRVULOS SAN FRANCISCO"),
         ]),
    dict(id="rme-araucania-freire", region="La Araucanía", province_or_area="Cautín Sur",
         main_commune="Freire", dependency_seed="Municipal",
         schools=[
             ("Raimapu", 6165, None),
             ("La Esperanza", 6166, None),
             ("Armando Quintulén", 6170, None),
             ("Quetroco", 6178, None),
             ("Rural El Lliuco", 6179, None),
             ("Armando Coipue", 6181,
              "directorio: ESCUELA COIPUE (Freire, rural), the only 'Coipue' school"),
             ("Liceo municipal Juan Schleyer", 6163,
              "joined in 2016 (seed: 'a partir del año 2016 se incorpora el Liceo Técnico "
              "Pedagógico')", None, 2016),
         ]),
    dict(id="rme-losrios-rio-bueno", region="Los Ríos", province_or_area="Ranco",
         main_commune="Río Bueno", dependency_seed="Municipal",
         schools=[
             ("Río Bueno", 7237, "directorio: ESCUELA BASICA RIO BUENO"),
             ("Pampa Ríos", 22414, None),
             ("Patricio Lynch", 7238, None),
             ("Crucero", 7240,
              "directorio: COLEGIO BICENTENARIO CRUCERO OSCAR DANIEL, the only school named "
              "Crucero in Río Bueno"),
             ("Colonia Diumen", 7244, None),
         ]),
    dict(id="rme-loslagos-osorno-urbanas", region="Los Lagos", province_or_area="Osorno",
         main_commune="Osorno", dependency_seed="Municipal",
         schools=[
             ("Carlos Condell", 7348, None),
             ("Suiza", 7335, None),
             ("García Hurtado", 7337, "directorio: ESCUELA GARCIA HURTADO DE MENDOZA"),
             ("Deportiva", 7347, "directorio: ESCUELA DEPORTIVA OSORNO"),
             ("Monseñor Valdés", 7341, "the municipal escuela, not 22108 (a subsidised liceo)"),
             ("Canadá", 7339, "directorio: ESCUELA N.88 CANADA"),
         ]),
    dict(id="rme-aysen-rio-ibanez", region="Aysén", province_or_area="Coyhaique",
         main_commune="Río Ibáñez", dependency_seed="Municipal",
         schools=[
             ("Aonikenk de Puerto Ibáñez", 8404, None),
             ("Liceo Rural Cerro Castillo", 8403, None),
         ]),
    dict(id="rme-magallanes", region="Magallanes", province_or_area="Magallanes",
         main_commune="Punta Arenas", dependency_seed="Municipal",
         schools=[
             ("Libertador Capitán General Bernardo O'Higgins", 8433, "Punta Arenas"),
             ("España", 8434, None),
             ("Dieciocho de Septiembre", 8435, None),
             ("Portugal", 8436, None),
             ("Capitán Arturo Prat Chacón", 8437, "operating 8437, not the closed 8440"),
             ("República de Croacia", 8438, None),
             ("Juan Williams", 8439, None),
             ("Hernando de Magallanes", 8441, "the escuela in Punta Arenas"),
             ("Pedro Pablo Lemaitre", 8442, None),
             ("Patagonia", 8444, None),
             ("Pedro Sarmiento de Gamboa", 8448, None),
             ("Elba Ojeda Gómez", 8449, None),
             ("Dellamira Rebeca Aguilar", 8450, None),
             ("Liceo Polivalente Hernando de Magallanes", 8474,
              "directorio: LICEO BICENTENARIO HERNANDO DE MAGALLANES (Porvenir; HC, TP, adults)"),
             ("Libertador Bernardo O'Higgins", 8475,
              "ambiguous: 8475 Porvenir (chosen, listed next to the Porvenir liceo) or 8412 "
              "Natales (ESCUELA LIB. BERNARDO O´HIGGINS R.)"),
             ("República Argentina", 11687, None),
             ("General Manuel Bulnes", 24302, None),
             ("Villa las Nieves", 24313, None),
             ("Colegio María Auxiliadora", 16895,
              "ambiguous: 16895 COLEGIO MARIA AUXILIADORA (Porvenir, exact name, chosen) or 8455 "
              "LICEO MARIA AUXILIADORA (Punta Arenas); both particular subvencionado",
              None, None, "Particular subvencionado"),
         ]),
]
REGION_CODES = {  # NOM_REG_RBD_A -> region name used in the seed / in 2015-2017
    "AYP": "Arica y Parinacota", "TPCA": "Tarapacá", "ANTOF": "Antofagasta",
    "ATCMA": "Atacama", "COQ": "Coquimbo", "VALPO": "Valparaíso", "RM": "Metropolitana",
    "LGBO": "O'Higgins", "MAULE": "Maule", "BBIO": "Biobío",
    "NUBLE": "Biobío",  # Ñuble was part of Biobío until September 2018
    "ARAUC": "La Araucanía", "RIOS": "Los Ríos", "LAGOS": "Los Lagos", "AYSEN": "Aysén",
    "MAG": "Magallanes",
}
REGION_ORDER = [n["region"] for n in NETWORKS]

DEPENDENCY = {  # COD_DEPE2, codebook glosas_directorio_oficial_ee.pdf
    "1": "Municipal", "2": "Particular subvencionado", "3": "Particular pagado",
    "4": "Corporación de administración delegada", "5": "Servicio Local de Educación",
}
ESTADO = {"1": "funcionando", "2": "en receso", "3": "cerrado", "4": "autorizado sin matrícula"}


def level_of(code):
    """ENS code (codebook Anexo II, COD_ENSE) -> Chile level label."""
    c = int(code)
    if c == 10:
        return "parvularia"
    if c == 110:
        return "básica"
    if 160 <= c <= 199:
        return "adultos"
    if 200 <= c <= 299:
        return "especial"
    if c == 310 or c == 910:  # 910 media artística counted with the scientific-humanistic track
        return "media HC"
    if c in (410, 510, 610, 710, 810):
        return "media TP"
    if c >= 360 and c % 100 >= 60:  # 360-363, 460-463, ... 963: adults (HC or TP)
        return "adultos"
    return None


LEVEL_ORDER = ["parvularia", "básica", "media HC", "media TP", "adultos", "especial"]

SMALL = {"de", "del", "la", "las", "los", "y", "el"}


def title_es(s):
    words = s.lower().split()
    out = []
    for i, w in enumerate(words):
        out.append(w if (i > 0 and w in SMALL) else w[:1].upper() + w[1:])
    return " ".join(out)


def num(s):
    s = (s or "").strip().replace(",", ".")
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return None if v == 0 else round(v, 6)


def norm(s):
    s = unicodedata.normalize("NFD", s.upper())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Z0-9 ]", " ", s)


# --------------------------------------------------------------------------------------
# Seed 001 charter parsing
# --------------------------------------------------------------------------------------
H_PRINC = "Principios y necesidades de la RME"
H_OBJ = "Objetivo de la RME"
H_MOVE = "Para movilizar el objetivo los integrantes de la RME:"
H_COLLAB = "El trabajo colaborativo se refleja cuando sus integrantes:"
H_LEARN = "Principales aprendizajes y logros de la Red de Mejoramiento Escolar de "
H_IDEA = "Idea fuerza de la RME"
H_PROJ = "Proyección y desafíos de la experiencia colaborativa"


def paragraphs(text):
    paras, cur = [], []
    for line in text.split("\n"):
        if line.strip() == "":
            if cur:
                paras.append(cur)
                cur = []
        else:
            cur.append(line.rstrip())
    if cur:
        paras.append(cur)
    return paras


def mermaid_nodes(block):
    return [t.strip() for t in re.findall(r"\(\((.*?)\)\)", block)]


def parse_seed001(path):
    text = open(path, encoding="utf-8").read()
    text = text[: text.rfind("**DIVISIÓN DE")]
    starts = [m.start() for m in re.finditer(r"^Experiencia colaborativa", text, re.M)]
    blocks = [text[s:e] for s, e in zip(starts, starts[1:] + [len(text)])]
    out = []
    for b in blocks:
        rec = dict(name=None, who=[], principles=[], objective=[], move=[], collab=[],
                   learn=[], idea=[], proj=[], learn_area=None, graphs=[])
        section = None
        # pull out mermaid blocks first
        for g in re.findall(r"```(.*?)```", b, re.S):
            rec["graphs"].append(mermaid_nodes(g))
        b = re.sub(r"```.*?```", "", b, flags=re.S)
        pending_check = False
        for p in paragraphs(b):
            joined = " ".join(x.strip() for x in p).strip()
            if joined == "":
                continue
            if joined.startswith("Experiencia colaborativa"):
                section = None
                continue
            m = re.match(r"Nombre de la RME: \*\*(.*)\*\*$", joined)
            if m:
                rec["name"] = m.group(1).strip()
                continue
            if joined.startswith("La red está conformada"):
                section = "who"
            elif joined == H_PRINC:
                section = "principles"; continue
            elif joined == H_OBJ:
                section = "objective"; continue
            elif joined == H_MOVE:
                section = "move"; continue
            elif joined == H_COLLAB:
                section = "collab"; continue
            elif joined.startswith(H_LEARN):
                section = "learn"
                rec["learn_area"] = joined[len(H_LEARN):].strip()
                continue
            elif joined == H_IDEA:
                section = "idea"; continue
            elif joined == H_PROJ:
                section = "proj"; continue
            if section is None:
                raise SystemExit("text outside a section: %r" % joined[:80])
            if all(x.startswith("- ") for x in p):
                rec[section].extend(x.strip() for x in p)
                continue
            if any(x.startswith("- ") for x in p):
                raise SystemExit("mixed bullet paragraph: %r" % joined[:80])
            if section == "proj" and (joined.startswith("✓") or pending_check):
                body = joined.lstrip("✓").strip()
                if body == "":
                    pending_check = True
                    continue
                pending_check = False
                rec["proj"].append("- " + body)
                continue
            rec[section].append(joined)
        out.append(rec)
    return out


def since_of(who):
    m = re.search(r"funciona desde (?:el )?(\d{4})", who)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------------------
def load_directory(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            rows[int(r["RBD"])] = r
    return rows


def school_record(net, entry, directory):
    seed_name, rbd, note = entry[0], entry[1], entry[2]
    fallback = entry[3] if len(entry) > 3 else None
    member_since = entry[4] if len(entry) > 4 and entry[4] else None
    dep_seed = entry[5] if len(entry) > 5 and entry[5] else net["dependency_seed"]
    rec = {"seed_name": seed_name}
    if rbd is not None:
        r = directory[rbd]
        codes = [r["ENS_%02d" % i] for i in range(1, 12)]
        levels = {level_of(c) for c in codes if c not in ("", "0")}
        levels.discard(None)
        dep = DEPENDENCY[r["COD_DEPE2"]]
        # the seed's dependency must agree: public (municipal / SLEP) vs subsidised
        public = r["COD_DEPE2"] in ("1", "5")
        if public != (dep_seed == "Municipal"):
            raise SystemExit("dependency mismatch for %s (%s)" % (seed_name, rbd))
        rec.update({
            "name": r["NOM_RBD"].strip(),
            "commune": title_es(r["NOM_COM_RBD"]),
            "region": net["region"],
            "rbd": rbd,
            "lat": num(r["LATITUD"]),
            "lon": num(r["LONGITUD"]),
            "dependency": dep,
            "rural": r["RURAL_RBD"].strip() == "1",
            "levels": [l for l in LEVEL_ORDER if l in levels],
            "source": "directorio_2025",
            "status": ESTADO.get(r["ESTADO_ESTAB"], r["ESTADO_ESTAB"]),
        })
    else:
        fb = fallback or {}
        rec.update({
            "name": seed_name,
            "commune": fb.get("commune", net["main_commune"]),
            "region": net["region"],
            "rbd": None,
            "lat": None,
            "lon": None,
            "dependency": dep_seed,
            "rural": fb.get("rural", False),
            "levels": fb.get("levels", []),
            "source": "seed_only",
            "status": None,
        })
    rec["dependency_in_seed"] = dep_seed
    rec["member_since"] = member_since or net["since"]
    if note:
        rec["match_note"] = note
    return rec


def build_networks(seed_path, directory):
    charters = parse_seed001(seed_path)
    assert len(charters) == len(NETWORKS) == 15, len(charters)
    nets = []
    seen_rbd = {}
    for spec, ch in zip(NETWORKS, charters):
        who = "\n".join(ch["who"])
        since = since_of(who)
        # graphs: use node texts only where the plain text is missing
        for nodes in ch["graphs"]:
            root, items = nodes[0], nodes[1:]
            target = "learn" if root.startswith(H_LEARN) else "collab"
            have = "\n".join(ch[target])
            if not all(i in have for i in items):
                ch[target].extend("- " + i for i in items if i not in have)
        if ch["learn_area"] and ch["learn_area"] != spec["province_or_area"]:
            raise SystemExit("area mismatch %s vs %s" % (ch["learn_area"], spec["province_or_area"]))
        spec = dict(spec, since=since)
        net = {
            "id": spec["id"],
            "kind": "rme",
            "country": "CL",
            "region": spec["region"],
            "province_or_area": spec["province_or_area"],
            "name": ch["name"],
            "since": since,
            "who_forms": who,
            "principles_needs": "\n".join(ch["principles"]) or None,
            "objective": "\n".join(ch["objective"]) or None,
            "how_members_move": "\n".join(ch["move"]) or None,
            "collaboration": "\n".join(ch["collab"]) or None,
            "learnings_achievements": "\n".join(ch["learn"]) or None,
            "key_idea": "\n".join(ch["idea"]) or None,
            "projection_challenges": "\n".join(ch["proj"]) or None,
            "source": "seed 001, Mineduc 'Experiencias colaborativas en Redes de Mejoramiento "
                      "Escolar 2015-2017' (marzo 2018)",
        }
        if spec.get("area_note"):
            net["area_note"] = spec["area_note"]
        schools = []
        for entry in spec["schools"]:
            if entry[0] not in who:
                raise SystemExit("seed name not in the seed text: %r" % entry[0])
            s = school_record(spec, entry, directory)
            if s["rbd"] is not None:
                if s["rbd"] in seen_rbd:
                    raise SystemExit("RBD %s used twice" % s["rbd"])
                seen_rbd[s["rbd"]] = s["seed_name"]
            schools.append(s)
        net["schools"] = schools
        nets.append(net)
    return nets


def build_census(directory):
    counts = {}
    for r in directory.values():
        if r["ESTADO_ESTAB"] != "1":
            continue
        reg = REGION_CODES[r["NOM_REG_RBD_A"]]
        counts[reg] = counts.get(reg, 0) + 1
    total_schools = sum(counts.values())
    census = []
    for year, active in ((2015, 523), (2016, 505), (2017, 481)):
        quotas = {k: active * v / total_schools for k, v in counts.items()}
        base = {k: int(q) for k, q in quotas.items()}
        left = active - sum(base.values())
        for k in sorted(quotas, key=lambda k: (-(quotas[k] - base[k]), REGION_ORDER.index(k)))[:left]:
            base[k] += 1
        assert sum(base.values()) == active
        census.append({
            "year": year,
            "active": active,
            "synthetic_split": True,
            "by_region": [{"region": k, "active": base[k]} for k in REGION_ORDER],
        })
    return census, counts


# --------------------------------------------------------------------------------------
# Colombia (synthetic institutions; the charter follows the words of the seeds)
# --------------------------------------------------------------------------------------
def build_cartagena():
    return {
        "id": "red-maestros-cartagena",
        "kind": "teacher_network",
        "country": "CO",
        "department": "Bolívar",
        "municipality": "Cartagena de Indias",
        "owner": "Secretaría de Educación Distrital de Cartagena (SED), Dirección de Calidad Educativa",
        "name": "Red de Maestros del Distrito de Cartagena",
        "name_synthetic": True,
        "since": 2023,
        "areas": ["Lenguaje", "Matemáticas", "Ciencias Naturales", "Ciencias Sociales",
                  "Inglés", "Educación Artística"],
        "areas_synthetic": True,
        "advisory": True,
        "may_issue_institutional_calls": False,
        "who_forms": "Maestros de instituciones educativas oficiales del Distrito de Cartagena, "
                     "de distintas áreas del conocimiento, que trabajan de manera articulada con "
                     "la Dirección de Calidad Educativa de la Secretaría de Educación.",
        "principles_needs": "Las redes de maestros transforman la calidad de la educación a través "
                            "de la investigación, el uso de herramientas innovadoras y facilitadoras "
                            "de los procesos educativos que propenden por el mejoramiento de los "
                            "aprendizajes.",
        "objective": "Compartir experiencias y enriquecer saberes pedagógicos entre pares de "
                     "distintas áreas del conocimiento, como pares asesores.",
        "how_members_move": "- Cualifican, socializan e intercambian experiencias pedagógicas "
                            "innovadoras.\n- Hacen que la propia escuela y la práctica docente "
                            "trasciendan al mundo externo.",
        "collaboration": "- Prevalece la acción colaborativa de trabajo en equipo más que las "
                         "acciones individuales y aisladas.",
        "learnings_achievements": None,
        "key_idea": "Pares asesores que comparten experiencias.",
        "projection_challenges": None,
        "advisory_note": "Su labor es de pares asesores y no está legitimada para convocatorias "
                         "institucionales (Circular No. 034 del 20 de febrero de 2023, SED "
                         "Cartagena).",
        "source": "seed 000, Circular No. 034 SED Cartagena, 20 de febrero de 2023",
        "schools": [
            {"dane": "113001000101", "name": "Institución Educativa Bocagrande del Caribe",
             "locality": "Localidad Histórica y del Caribe Norte", "sector": "oficial",
             "area_of_member": "Lenguaje", "synthetic": True},
            {"dane": "113001000218", "name": "Institución Educativa Nuestra Señora de La Popa",
             "locality": "Localidad Histórica y del Caribe Norte", "sector": "oficial",
             "area_of_member": "Matemáticas", "synthetic": True},
            {"dane": "113001000325", "name": "Institución Educativa Técnica Olaya Herrera Sur",
             "locality": "Localidad de la Virgen y Turística", "sector": "oficial",
             "area_of_member": "Ciencias Naturales", "synthetic": True},
            {"dane": "113001000432", "name": "Institución Educativa Ciénaga de la Virgen",
             "locality": "Localidad de la Virgen y Turística", "sector": "oficial",
             "area_of_member": "Ciencias Sociales", "synthetic": True},
            {"dane": "113001000549", "name": "Institución Educativa Ternera Industrial",
             "locality": "Localidad Industrial y de la Bahía", "sector": "oficial",
             "area_of_member": "Inglés", "synthetic": True},
        ],
    }


def build_ibague():
    return {
        "country": "CO",
        "department": "Tolima",
        "municipality": "Ibagué",
        "secretariat": "Secretaría de Educación Municipal de Ibagué",
        "dane": "173001001201",
        "name": "Institución Educativa Técnica Los Ocobos del Combeima",
        "sector": "oficial",
        "levels": ["preescolar", "básica primaria", "básica secundaria", "media"],
        "rector": "Martha Lucía Guzmán Ospina",
        "tutor_pta": "Jhon Fredy Barragán Lozano",
        "programme": "Todos a Aprender 2.0 (Programa para la Excelencia Docente y Académica)",
        "synthetic": True,
        "synthetic_note": "Institution, sedes, DANE-shaped codes, coordinates and names are "
                          "invented; only the municipality and the programme are real.",
        "sedes": [
            {"dane": "173001001201", "name": "Sede Principal", "main": True, "rural": False,
             "levels": ["preescolar", "básica primaria", "básica secundaria", "media"],
             "lat": 4.4285, "lon": -75.2440, "synthetic": True},
            {"dane": "173001001219", "name": "Sede Llanitos", "main": False, "rural": True,
             "levels": ["preescolar", "básica primaria"],
             "lat": 4.4650, "lon": -75.2950, "synthetic": True},
            {"dane": "173001001227", "name": "Sede Pastales", "main": False, "rural": True,
             "levels": ["preescolar", "básica primaria"],
             "lat": 4.5120, "lon": -75.3300, "synthetic": True},
            {"dane": "173001001235", "name": "Sede Villa Restrepo", "main": False, "rural": True,
             "levels": ["preescolar", "básica primaria"],
             "lat": 4.4870, "lon": -75.3110, "synthetic": True},
        ],
        "source": "seed 004, circular of the Secretaría de Educación Municipal de Ibagué "
                  "(rector duties in Todos a Aprender 2.0)",
    }


# --------------------------------------------------------------------------------------
# Mexico: Tequisquiapan (cabecera), real CCT catalogue
# --------------------------------------------------------------------------------------
MX_LEVELS = {"INICIAL": "inicial", "PREESCOLAR": "preescolar", "PRIMARIA": "primaria",
             "SECUNDARIA": "secundaria", "CAM": "CAM"}


def build_zone_mx(path, municipality="TEQUISQUIAPAN", locality="TEQUISQUIAPAN"):
    schools = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["SOSTENIMIENTO_C_CONTROL"] != "PÚBLICO" or r["C_TIPO"] != "ESCUELA":
                continue
            if r["TIPONIVELSUB_C_SERVICION2"] not in MX_LEVELS:
                continue
            if (r["INMUEBLE_C_NOM_MUN"], r["INMUEBLE_C_NOM_LOC"]) != (municipality, locality):
                continue
            lat, lon = float(r["INMUEBLE_LATITUD"]), float(r["INMUEBLE_LONGITUD"])
            placeholder = abs(lat - 20.5934) < 1e-6 and abs(lon + 100.39) < 1e-6
            colonia = r["INMUEBLE_C_NOM_ASEN"].strip()
            schools.append({
                "cct": r["CV_CCT"],
                "name": r["C_NOMBRE"].strip(),
                "level": MX_LEVELS[r["TIPONIVELSUB_C_SERVICION2"]],
                "service": r["TIPONIVELSUB_C_SERVICION3"],
                "shift": r["C_TUNO_1"],
                "shift_2": r["C_TUNO_2"] or None,
                "municipality": title_es(r["INMUEBLE_C_NOM_MUN"]),
                "locality": title_es(r["INMUEBLE_C_NOM_LOC"]),
                "colonia": None if colonia in ("", "NINGUNO") else title_es(colonia),
                "lat": None if placeholder else lat,
                "lon": None if placeholder else lon,
                "supervision_zone": r["SUPERVISION_CV_CCT"] or None,
                "control": "público",
                "subcontrol": r["SOSTENIMIENTO_C_SUBCONTROL"],
            })
    order = ["inicial", "preescolar", "primaria", "secundaria", "CAM"]
    schools.sort(key=lambda s: (order.index(s["level"]), s["cct"]))
    levels = {s["level"] for s in schools}
    assert {"inicial", "preescolar", "primaria", "secundaria"} <= levels
    assert 15 <= len(schools) <= 40, len(schools)
    return {
        "id": "zona-tequisquiapan",
        "country": "MX",
        "state": "Querétaro",
        "municipality": "Tequisquiapan",
        "locality": "Tequisquiapan",
        "name": "Zona Tequisquiapan (cabecera municipal)",
        "description": "All public basic-education schools (inicial, preescolar, primaria, "
                       "secundaria, CAM) of the locality Tequisquiapan in the SEP catalogue; "
                       "the supervision zones are those of the catalogue, one per level/service.",
        "supervision_zones": sorted({s["supervision_zone"] for s in schools if s["supervision_zone"]}),
        "cte_sizes": None,
        "cte_sizes_note": "The catalogue has no teacher counts; generate CTE sizes in the app and "
                          "mark them synthetic.",
        "source": "data/mexico/cct_queretaro_activos.csv (SEP catálogo de centros de trabajo)",
        "schools": schools,
    }


# --------------------------------------------------------------------------------------
# The zone of the demo's zone supervisor: the primaria zone with the most
# schools in the locality.
DEMO_ZONE_MX = "22FIZ0041F"


def build_people(nets, ibague, cartagena, zone):
    assert DEMO_ZONE_MX in zone["supervision_zones"], zone["supervision_zones"]
    biobio = next(n for n in nets if n["region"] == "Biobío")
    school = next(s for s in biobio["schools"] if s["seed_name"] == "Cerro San Francisco")
    return [
        {"username": "admin", "full_name": "Carolina Fuentes Arriagada", "role": "administrator",
         "role_es": "administrador", "country": None, "scope_kind": "national", "scope": "*",
         "scope_label": "Toda la plataforma (todos los países)"},
        {"username": "ministerio", "full_name": "Rodrigo Valenzuela Morales", "role": "ministry",
         "role_es": "ministerio (nivel central, Mineduc)", "country": "CL",
         "scope_kind": "national", "scope": "Chile", "scope_label": "Chile"},
        {"username": "seremi.biobio", "full_name": "Patricia Sandoval Lagos",
         "role": "regional_authority", "role_es": "SEREMI de Educación", "country": "CL",
         "scope_kind": "region", "scope": "Biobío", "scope_label": "Región del Biobío"},
        {"username": "deprov.concepcion", "full_name": "Héctor Muñoz Riquelme",
         "role": "provincial_office", "role_es": "supervisor DEPROV", "country": "CL",
         "scope_kind": "province", "scope": "Concepción",
         "scope_label": "Departamento Provincial de Educación Concepción"},
        {"username": "coordinador.rme", "full_name": "Marcela Jara Contreras",
         "role": "network_coordinator", "role_es": "coordinadora de red", "country": "CL",
         "scope_kind": "network", "scope": biobio["id"], "scope_label": biobio["name"]},
        {"username": "director", "full_name": "Luis Alberto Cifuentes Soto", "role": "director",
         "role_es": "director", "country": "CL", "scope_kind": "school",
         "scope": str(school["rbd"]), "scope_label": school["name"]},
        {"username": "jefe.tecnico", "full_name": "Andrea Pincheira Vidal",
         "role": "technical_head", "role_es": "jefa técnica (UTP)", "country": "CL",
         "scope_kind": "school", "scope": str(school["rbd"]), "scope_label": school["name"]},
        {"username": "docente", "full_name": "Felipe Saavedra Toledo", "role": "teacher",
         "role_es": "docente", "country": "CL", "scope_kind": "school",
         "scope": str(school["rbd"]), "scope_label": school["name"]},
        {"username": "sec.cartagena", "full_name": "Yolanda Pérez Herazo", "role": "secretariat",
         "role_es": "funcionaria de la Secretaría de Educación Distrital", "country": "CO",
         "scope_kind": "province", "scope": "Cartagena de Indias",
         "scope_label": "Secretaría de Educación Distrital de Cartagena"},
        {"username": "rector.ibague", "full_name": ibague["rector"], "role": "director",
         "role_es": "rectora", "country": "CO", "scope_kind": "school",
         "scope": ibague["dane"], "scope_label": ibague["name"]},
        {"username": "tutor.pta", "full_name": ibague["tutor_pta"], "role": "tutor",
         "role_es": "tutor Todos a Aprender", "country": "CO", "scope_kind": "school",
         "scope": ibague["dane"], "scope_label": ibague["name"]},
        # A primaria zone of the locality (SUPERVISION_CV_CCT): planning it
        # brings in the other levels' schools of Tequisquiapan and their zones.
        {"username": "supervisor.qro", "full_name": "Guadalupe Reséndiz Olvera",
         "role": "zone_supervisor", "role_es": "supervisora de zona", "country": "MX",
         "scope_kind": "zone", "scope": DEMO_ZONE_MX,
         "scope_label": f"Zona escolar {DEMO_ZONE_MX} (primaria, {zone['locality']})"},
        # The national peer reviewer of good practices (demo/practices.json):
        # an adviser reviews, the ministry and the SEREMI assign and decide.
        {"username": "asesora.mineduc", "full_name": "Verónica Alarcón Pizarro", "role": "adviser",
         "role_es": "asesora técnica de la Coordinación Nacional de Apoyo a la Mejora Escolar "
                    "(revisora de buenas prácticas)", "country": "CL",
         "scope_kind": "national", "scope": "Chile", "scope_label": "Chile"},
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.normpath(os.path.join(HERE, "../../../../shared")))
    ap.add_argument("--out", default=os.path.join(HERE, "demo.json"))
    a = ap.parse_args()
    seed001 = glob.glob(os.path.join(a.shared, "seeds", "001_*.txt"))[0]
    directory = load_directory(os.path.join(a.shared, "data/chile/directorio_oficial_ee_2025.csv"))
    nets = build_networks(seed001, directory)
    census, school_counts = build_census(directory)
    cartagena = build_cartagena()
    ibague = build_ibague()
    zone = build_zone_mx(os.path.join(a.shared, "data/mexico/cct_queretaro_activos.csv"))
    people = build_people(nets, ibague, cartagena, zone)
    doc = {
        "meta": {
            "generated_by": "crates/redes/demo/make_demo.py",
            "description": "Demo data for Redes. Real: seed texts, Chilean RBDs/names/communes/"
                           "coordinates/levels (Directorio Oficial 2025), Querétaro CCTs. "
                           "Synthetic: everything flagged synthetic, the census split by region, "
                           "all people. See crates/redes/demo/README.md.",
            "census_split_basis": {"operating_schools_by_region_2025": {
                k: school_counts[k] for k in REGION_ORDER}},
        },
        "networks_cl": nets,
        "census": census,
        "network_co_cartagena": cartagena,
        "school_co_ibague": ibague,
        "zone_mx": zone,
        "people": people,
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    for n in nets:
        m = sum(1 for s in n["schools"] if s["rbd"] is not None)
        print("%-20s %-60s %2d/%2d matched" % (n["province_or_area"], n["name"][:60], m,
                                              len(n["schools"])))


if __name__ == "__main__":
    main()
