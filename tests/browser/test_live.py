"""A live game in Chromium against a real ASGI server process: a host and two players, each in a
browser context of their own, play three questions to the podium; Ana's phone uses a WebSocket, Ben's
network lets none through, so his page polls over plain HTTP."""

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from studyapp.accounts.models import Role
from tests.factories import UserFactory
from tests.live.conftest import make_question
from tests.servers import asgi_server, usable_by_servers

from .conftest import PASSWORD, axe_violations, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE: ViewportSize = {"width": 390, "height": 844}


def player_joins(browser: Browser, base: str, pin: str, nickname: str, *, websockets: bool = True) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    if not websockets:  # a network that lets no WebSocket through: the page must poll over HTTP
        context.add_init_script("window.WebSocket = function () { throw new Error('blocked'); };")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/live/join/?pin={pin}")
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Enter").click()
    expect(page.get_by_role("heading", name=f"You’re in, {nickname}!")).to_be_visible()
    return page


def test_a_host_and_two_players_play_three_questions_to_the_podium(browser: Browser) -> None:
    usable_by_servers(UserFactory(username="host", role=Role.INSTRUCTOR), PASSWORD)
    questions = [
        make_question(
            "Which service runs code without servers?",
            "AWS Lambda",
            "Amazon EC2",
            "Amazon Lightsail",
            "AWS Batch",
            explanation="Lambda runs your functions on demand.",
        ),
        make_question("Where are container images stored?", "Amazon ECR", "Amazon ECS", "AWS Fargate", "Amazon S3 Glacier"),
        make_question("What runs containers without managing servers?", "AWS Fargate", "Amazon EC2", "AWS Outposts"),
    ]
    rights = ["AWS Lambda", "Amazon ECR", "AWS Fargate"]
    with asgi_server() as base:
        host_context = browser.new_context(viewport={"width": 1600, "height": 900})
        host = host_context.new_page()
        host.set_default_timeout(10_000)
        log_in(host, base, "host", "/live/new/")
        host.get_by_label("Questions I pick (their numbers)").check()
        host.get_by_label("Question numbers").fill(" ".join(str(q.pk) for q in questions))
        host.get_by_role("button", name="Open the lobby").click()
        pin = host.locator(".live-pin").inner_text().strip()
        assert len(pin) == 6
        expect(host.locator(".live-qr svg")).to_be_visible()
        assert axe_violations(host) == []

        # the join page, then two phones
        probe = browser.new_context(viewport=PHONE).new_page()
        probe.goto(f"{base}/live/join/?pin={pin}")
        assert axe_violations(probe) == []
        screenshot(probe, "live-join")
        probe.context.close()
        ana = player_joins(browser, base, pin, "Ana")
        ben = player_joins(browser, base, pin, "Ben", websockets=False)
        assert axe_violations(ana) == []
        expect(host.locator(".live-lobby-players")).to_contain_text("Ana")
        expect(host.locator(".live-lobby-players")).to_contain_text("Ben")  # pushed: the host did not reload
        screenshot(host, "live-host-lobby")
        assert ana.locator("[data-live-socket]").get_attribute("data-live-transport") == "websocket"
        expect(ben.locator("[data-live-socket]")).to_have_attribute("data-live-transport", "polling")

        host.get_by_role("button", name="Start the game").click()
        for position, right in enumerate(rights, start=1):
            for phone in (ana, ben):
                expect(phone.get_by_text(f"Question {position} of 3")).to_be_visible()
            expect(host.get_by_text(f"Question {position} of 3")).to_be_visible()
            if position == 1:
                assert axe_violations(ana) == []
                assert axe_violations(host) == []
                screenshot(ana, "live-player-question")
                screenshot(host, "live-host-question")
            ana.get_by_role("button", name=right).click()  # Ana is always right
            ben.locator(".live-answer").filter(has_not_text=right).first.click()  # Ben never is
            # everyone answered: the question closes by itself and the answer is shown
            expect(host.get_by_text("✓ right")).to_be_visible()
            expect(ana.get_by_role("heading", name="Right!")).to_be_visible()
            expect(ben.get_by_role("heading", name="Wrong")).to_be_visible()
            if position == 1:
                expect(host.get_by_text("Lambda runs your functions on demand.")).to_be_visible()
                screenshot(host, "live-host-reveal")
                screenshot(ana, "live-player-result")
                assert axe_violations(ana) == []
            if position == 3:
                expect(ana.get_by_text("Answer streak: 3")).to_be_visible()
                host.get_by_role("button", name="Show the podium").click()
            else:
                host.get_by_role("button", name="Next question").click()

        expect(host.get_by_role("heading", name="Compute warm-up: the podium").or_(host.get_by_text("the podium"))).to_be_visible()
        podium = host.locator(".live-podium")
        expect(podium.locator("li").first).to_contain_text("Ana")
        expect(ana.get_by_role("heading", name="Game over")).to_be_visible()
        expect(ana.get_by_text("rank 1 of 2")).to_be_visible()
        expect(ben.get_by_text("rank 2 of 2")).to_be_visible()
        screenshot(host, "live-host-podium")
        screenshot(ana, "live-player-podium")
        assert axe_violations(host) == []
        for page in (host, ana, ben):
            page.context.close()
