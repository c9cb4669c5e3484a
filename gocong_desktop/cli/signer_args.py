"""``--signer-form`` and ``--signer-name``: who signs one printed document instead of
the office settings' signer (``gocong-desktop settings list``, names ``signer.*``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gocong_desktop.core.services.signers import SignerChoice


def add_signer_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--signer-form", metavar="HÌNH_THỨC",
                        help="hình thức ký của lần in này: «ký trực tiếp», «KT.», «Q.» hoặc «TM.» "
                             "(mặc định: theo cài đặt signer.form)")
    parser.add_argument("--signer-name", metavar="HỌ_TÊN",
                        help="họ tên người ký của lần in này (mặc định: theo cài đặt; \"\" để trống, ký tay)")


def given(args: argparse.Namespace) -> bool:
    return args.signer_form is not None or args.signer_name is not None


def signer_choice(args: argparse.Namespace) -> SignerChoice | None:
    """The choice typed on the command line, checked before the database is opened."""
    from gocong_desktop.core.services.signers import SignerChoice, clean_name, parse_form

    if not given(args):
        return None
    form = parse_form(args.signer_form) if args.signer_form is not None else None
    name = clean_name(args.signer_name) if args.signer_name is not None else None
    return SignerChoice(form, name)
