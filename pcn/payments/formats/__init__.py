"""Payment files, one small module per format. Each takes a `PaymentFile` (plain data, no database) and
returns the file's bytes; the services build the `PaymentFile` from a batch and store what was produced."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Originator:
    """The fiduciary that pays: its bank account and the numbers its bank gave it for EFT files."""

    name: str  # long name, e.g. « Union des producteurs agricoles – Capitale-Nationale »
    short_name: str  # up to 15 characters, shown on the payee's bank statement
    originator_number: str = ""  # CPA-005: 10 characters given by the bank
    data_centre: str = ""  # CPA-005: 5 digits, the bank's processing centre
    institution: str = ""  # 3 digits
    transit: str = ""  # 5 digits
    account: str = ""  # up to 12 digits
    currency: str = "CAD"


@dataclass(frozen=True)
class Payee:
    """One payment in the file: a vendor (or a market that paid its own vendors)."""

    name: str
    amount_cents: int
    reference: str  # our reference for this payment, e.g. « PCN-12-3 » (batch 12, line 3)
    claims: tuple[str, ...] = ()  # the claim numbers it pays, e.g. ("R-41", "R-57")
    institution: str = ""
    transit: str = ""
    account: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    message: str = ""  # free text for the payee (Interac message, cheque memo)
    local_amount: int | None = None  # in a local currency batch: the units (hundredths) the vendor receives


@dataclass(frozen=True)
class PaymentFile:
    originator: Originator
    reference: str  # the batch's reference, e.g. « PCN-12 »
    created_on: datetime.date  # the file's creation date
    payment_on: datetime.date  # the date the money should reach the payees
    file_creation_number: int  # CPA-005: unique per originator, 1..9999
    payees: tuple[Payee, ...] = field(default_factory=tuple)
    currency: str = "CAD"
    currency_name: str = ""  # a batch settled in a local currency, e.g. « Petite-monnaie »: payees carry local_amount

    @property
    def total_cents(self) -> int:
        return sum(payee.amount_cents for payee in self.payees)
