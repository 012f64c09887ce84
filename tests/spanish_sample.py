"""A few myths and questions in Spanish, by id, for the search's tests until the Spanish overlays (data/es/) and
their loader are merged: ``overlay`` applies them to a content object, ``write`` to a copy of the data folder.
Translated from the English text (shortened where a test needs only its first sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psoas_explorer.content import model as c
from tests.support import edit_yaml

MYTHS = {
    "stores_emotions": (
        "El psoas almacena las emociones y los traumas, y liberarlo los libera.",
        "Esta idea procede de libros y páginas web populares de trabajo corporal, no de la investigación. El psoas "
        "es un músculo esquelético movido por nervios motores corrientes. El masaje en general puede dejarle más "
        "tranquilo durante un tiempo, pero eso no es propio del psoas.",
    ),
    "sitting_shortens": (
        "Estar sentado todo el día acorta el psoas para siempre.",
        "El psoas está más corto mientras usted está sentado. En una silla la cadera suele doblarse unos 60 a 80 "
        "grados, porque la pelvis se inclina hacia atrás. Si sigue más corto después de levantarse es muy incierto.",
    ),
    "must_hurt": (
        "Que le den un masaje en el psoas es una agonía, y solo funciona si duele.",
        "La presión cerca del psoas suele ser incómoda, porque los nervios de la pierna atraviesan el músculo. "
        "Pero ninguna investigación muestra que el dolor haga que funcione mejor. Un dolor agudo, eléctrico o que "
        "se extiende es una señal para parar, no para seguir.",
    ),
}
FAQS = {
    "desk_worker": (
        "Paso todo el día sentada. ¿Qué ayuda de verdad a mis caderas?",
        "Levantarse y moverse con regularidad, y estiramientos sencillos de los flexores de cadera, tienen poco "
        "riesgo y son baratos. No hay evidencia de que necesite una herramienta para el psoas ni un masaje profundo.",
    ),
    "pregnancy": (
        "¿Es seguro el masaje del psoas o el masaje profundo del vientre durante el embarazo?",
        "Evite la presión profunda sobre el vientre durante el embarazo. Pregunte a su matrona o a su médico por "
        "opciones más suaves, como estiramientos con apoyo.",
    ),
    "overdo_it": (
        "¿Puede dañar el psoas un exceso de estiramientos o de masaje?",
        "Sí, aunque el daño grave es raro. Use una presión ligera y sesiones cortas, y pare al primer signo de "
        "dolor agudo, hormigueo o de un latido bajo la mano. Pare también si siente que el dolor se extiende.",
    ),
}


def overlay(cnt: c.Content) -> c.Content:
    """``cnt`` with the myths and questions above in Spanish, matched by id."""
    mf = cnt.myths_faq
    myths = tuple(
        m.model_copy(update=dict(zip(("belief", "evidence_says"), MYTHS[m.id], strict=True))) if m.id in MYTHS else m
        for m in mf.myths
    )
    faqs = tuple(
        q.model_copy(update=dict(zip(("question", "answer"), FAQS[q.id], strict=True))) if q.id in FAQS else q
        for q in mf.faqs
    )
    return cnt.model_copy(update={"myths_faq": mf.model_copy(update={"myths": myths, "faqs": faqs})})


def write(folder: Path) -> None:
    """The same texts written into ``folder``'s myths_faq.yaml (a copy of data/), for a page opened on it."""

    def change(doc: Any) -> None:
        for kind, texts, fields in (
            ("myths", MYTHS, ("belief", "evidence_says")),
            ("faqs", FAQS, ("question", "answer")),
        ):
            for item in doc[kind]:
                if item["id"] in texts:
                    item.update(zip(fields, texts[item["id"]], strict=True))

    edit_yaml(folder, "myths_faq.yaml", change)
