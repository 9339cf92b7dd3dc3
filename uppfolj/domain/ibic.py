"""The life areas (livsområden) of IBIC, as seed 003 lists them."""

from __future__ import annotations

LIVSOMRADEN: dict[str, str] = {
    "larande": "Lärande och att tillämpa kunskap",
    "allmanna_uppgifter": "Allmänna uppgifter och krav",
    "kommunikation": "Kommunikation",
    "forflyttning": "Förflyttning",
    "personlig_vard": "Personlig vård",
    "hemliv": "Hemliv",
    "relationer": "Mellanmänskliga interaktioner och relationer",
    "utbildning_arbete_ekonomi": "Utbildning, arbete, sysselsättning och ekonomiskt liv",
    "samhallsgemenskap": "Samhällsgemenskap, socialt och medborgerligt liv",
    "trygghet": "Känsla av trygghet",
}
