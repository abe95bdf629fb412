"""ISO 20022 pain.001.001.03, Customer Credit Transfer Initiation: the XML credit-transfer file that
Canadian banks take from business clients (RBC, BMO, TD, Desjardins all publish usage guides for this
version).

One group header, one payment information block (one debit of the fiduciary's account, booked as a batch)
and one credit transfer per payee. Canadian accounts are reached through the Payments Canada clearing
system: clearing system code « CACPA », member id « 0 » + institution (3 digits) + transit (5 digits).

Free text (names, remittance information) keeps its accents, since the message is UTF-8, and is cut to
the schema's length. Identifiers (message id, references, account numbers) are never cut: a cut
reference could collide with another and break the reconciliation of the bank's reports, so an
identifier that does not fit raises ValueError instead.
"""

import re
import unicodedata
import xml.etree.ElementTree as ET

from . import PaymentFile

FILENAME_SUFFIX = ".xml"
CONTENT_TYPE = "application/xml"

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CLEARING_SYSTEM = "CACPA"  # ExternalClearingSystemIdentification1Code: Canadian Payments Association

# Lengths from the schema's simple types.
MAX_NAME = 140  # Max140Text: Nm
MAX_REMITTANCE = 140  # Max140Text: Ustrd
MAX_ID = 35  # Max35Text: MsgId, PmtInfId, EndToEndId, MmbId
MAX_ACCOUNT = 34  # Max34Text: GenericAccountIdentification1/Id

_CURRENCY = re.compile(r"[A-Z]{3}")


def render(payment_file: PaymentFile) -> bytes:
    originator = payment_file.originator
    payees = payment_file.payees
    if not payees:
        raise ValueError("A pain.001 file needs at least one payee.")
    currency = payment_file.currency
    if not _CURRENCY.fullmatch(currency):
        raise ValueError(f"The currency must be a three-letter ISO 4217 code, not {currency!r}.")
    for payee in payees:
        _check_amount(payee.amount_cents, payee.name)
    total = _decimal(sum(payee.amount_cents for payee in payees))
    count = str(len(payees))

    # Tags stay unqualified under a default namespace declared by hand: ElementTree's default_namespace
    # option refuses unqualified attributes such as Ccy.
    root = ET.Element("Document", xmlns=NAMESPACE)
    initiation = _sub(root, "CstmrCdtTrfInitn")

    header = _sub(initiation, "GrpHdr")
    # Batch reference and creation number: unique per file sent; the slash keeps it apart from the payees'
    # references (« PCN-12-7 » is line 7 of batch 12, « PCN-12/0007 » the batch's seventh file).
    message_id = f"{payment_file.reference}/{payment_file.file_creation_number:04d}"
    _sub(header, "MsgId", _identifier(message_id, "message id"))
    # The file carries a creation date only; midnight of that date is never in the future for the bank.
    _sub(header, "CreDtTm", f"{payment_file.created_on.isoformat()}T00:00:00")
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    _sub(_sub(header, "InitgPty"), "Nm", _text(originator.name, MAX_NAME, "originator name"))

    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", _identifier(payment_file.reference, "batch reference"))
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "BtchBookg", "true")
    _sub(info, "NbOfTxs", count)
    _sub(info, "CtrlSum", total)
    _sub(info, "ReqdExctnDt", payment_file.payment_on.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", _text(originator.name, MAX_NAME, "originator name"))
    _account(info, "DbtrAcct", originator.account, "the originator", currency)
    _agent(info, "DbtrAgt", originator.institution, originator.transit, "the originator")

    for payee in payees:
        transfer = _sub(info, "CdtTrfTxInf")
        _sub(_sub(transfer, "PmtId"), "EndToEndId", _identifier(payee.reference, f"reference of {payee.name}"))
        _sub(_sub(transfer, "Amt"), "InstdAmt", _decimal(payee.amount_cents), Ccy=currency)
        _agent(transfer, "CdtrAgt", payee.institution, payee.transit, payee.name)
        _sub(_sub(transfer, "Cdtr"), "Nm", _text(payee.name, MAX_NAME, "payee name"))
        _account(transfer, "CdtrAcct", payee.account, payee.name)
        remittance = _clean(payee.message) or " ".join(_clean(claim) for claim in payee.claims)
        if remittance:
            _sub(_sub(transfer, "RmtInf"), "Ustrd", remittance[:MAX_REMITTANCE].strip())

    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _decimal(cents: int) -> str:
    """Integer cents as the schema's decimal dollars: 1 → « 0.01 », 123456 → « 1234.56 »."""
    return f"{cents // 100}.{cents % 100:02d}"


def _check_amount(cents: int, name: str) -> None:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise ValueError(f"The amount for {name} must be whole cents, not {cents!r}.")
    if cents < 1:
        raise ValueError(f"The amount for {name} must be at least one cent.")


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def _clean(value: str) -> str:
    """Control characters (tabs, line breaks) are not allowed in XML text or are lost by banks: spaces."""
    spaced = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value)
    return " ".join(spaced.split())


def _text(value: str, length: int, what: str) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise ValueError(f"The {what} is empty.")
    return cleaned[:length].strip()


def _identifier(value: str, what: str) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise ValueError(f"The {what} is empty.")
    if len(cleaned) > MAX_ID:
        raise ValueError(f"The {what} {cleaned!r} is longer than {MAX_ID} characters.")
    return cleaned


def _agent(parent: ET.Element, name: str, institution: str, transit: str, whose: str) -> None:
    if not re.fullmatch(r"\d{3}", institution or ""):
        raise ValueError(f"The institution number of {whose} must be 3 digits, not {institution!r}.")
    if not re.fullmatch(r"\d{5}", transit or ""):
        raise ValueError(f"The transit number of {whose} must be 5 digits, not {transit!r}.")
    member = _sub(_sub(_sub(parent, name), "FinInstnId"), "ClrSysMmbId")
    _sub(_sub(member, "ClrSysId"), "Cd", CLEARING_SYSTEM)
    _sub(member, "MmbId", f"0{institution}{transit}")


def _account(parent: ET.Element, name: str, account: str, whose: str, currency: str = "") -> None:
    if not account:
        raise ValueError(f"{whose} has no bank account number.")
    if not re.fullmatch(rf"\d{{1,{MAX_ACCOUNT}}}", account):
        raise ValueError(f"The account number of {whose} must be digits only, not {account!r}.")
    element = _sub(parent, name)
    _sub(_sub(_sub(element, "Id"), "Othr"), "Id", account)
    if currency:
        _sub(element, "Ccy", currency)
