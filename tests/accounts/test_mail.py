"""Development mail: one .eml file per message, and its links printed whole on lines of their own."""

from django.core.mail import EmailMessage

from studyapp.accounts.mail import DevelopmentEmailBackend

LINK = "http://127.0.0.1:8000/accounts/reset/MQ/cz3k1q-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e/"


def test_each_message_is_an_eml_file_and_its_links_are_printed_unwrapped(tmp_path, capsys):
    backend = DevelopmentEmailBackend(file_path=str(tmp_path))
    message = EmailMessage("Reset your password", f"Open this page to choose a new password:\n\n{LINK}\n\nThanks", to=["ada@example.com"])
    assert backend.send_messages([message, message]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert b"Subject: Reset your password" in files[0].read_bytes()
    printed = capsys.readouterr().out
    assert f"\n{LINK}\n" in printed  # copied from the terminal, the link works
    assert str(files[0]) in printed and "ada@example.com" in printed
