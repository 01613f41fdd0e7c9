import random
import threading
from datetime import timedelta

import pytest
from django.db import connection

from studyapp.classrooms import services as class_services
from studyapp.live import services
from studyapp.live.models import Ending, Game, GameQuestion, LiveAnswer, Phase, Player
from studyapp.quizzes.models import Attempt, Mode
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import SECOND, join, right_button, start, wrong_button

pytestmark = pytest.mark.django_db


def test_a_new_game_waits_in_its_lobby_with_a_six_digit_pin(game: Game) -> None:
    assert game.phase == Phase.LOBBY and game.position == 0
    assert len(game.pin) == 6 and game.pin.isdigit() and game.pin[0] != "0"
    assert list(game.questions.values_list("position", flat=True)) == [1, 2, 3]


def test_game_questions_keep_the_version_they_show(game: Game) -> None:
    for slot in GameQuestion.objects.filter(game=game).select_related("question"):
        assert slot.version_id == slot.question.current_version_id


def test_two_running_games_never_share_a_pin(host, quiz, monkeypatch) -> None:
    pins = iter(["123456", "123456", "654321"])
    monkeypatch.setattr(services, "new_pin", lambda: next(pins))
    first = services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1))
    second = services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1))
    assert (first.pin, second.pin) == ("123456", "654321")


def test_joining_needs_a_running_pin_and_a_free_nickname(game: Game) -> None:
    join(game, "Sam")
    with pytest.raises(services.LiveError, match="taken"):
        join(game, "  sam ")
    with pytest.raises(services.LiveError, match="No game is running"):
        services.join_game(pin="000000", nickname="Ann", user=None, now=NOW)
    with pytest.raises(services.LiveError, match="Choose a nickname"):
        join(game, "   ")
    with pytest.raises(services.LiveError, match="at most 20"):
        join(game, "x" * 21)
    with pytest.raises(services.LiveError, match="invisible"):
        join(game, "a\u200bb")


def test_a_full_game_refuses_another_player(game: Game) -> None:
    Game.objects.filter(pk=game.pk).update(max_players=2)
    join(game, "one")
    join(game, "two")
    with pytest.raises(services.LiveError, match="full"):
        join(game, "three")


def test_a_finished_game_takes_no_one(game: Game) -> None:
    services.end_game(game_id=game.pk, now=NOW)
    with pytest.raises(services.LiveError, match="No game is running"):
        join(game, "late")


def test_a_learner_of_the_class_is_linked_and_gets_their_seat_back(host, quiz, demo_course) -> None:
    classroom = class_services.create_classroom(by=host, name="Group A", course=demo_course, now=NOW)
    learner, stranger = UserFactory(username="lea"), UserFactory(username="stranger")
    class_services.join_classroom(user=learner, classroom=classroom, now=NOW)
    game = services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1), classroom_id=classroom.pk)
    seat = join(game, "Lea", user=learner)
    assert seat.user == learner
    assert join(game, "Another name", user=learner).pk == seat.pk
    assert join(game, "Outsider", user=stranger).user is None  # not in the class: a nickname only


def test_a_right_answer_scores_by_speed_and_a_second_answer_is_ignored(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    first = services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 2 * SECOND)
    again = services.submit_answer(player_id=player.pk, position=1, shown=[wrong_button(game, 1)], now=NOW + 3 * SECOND)
    assert first.stored and first.answer.correct and first.answer.points == 950  # 2 s of 20 s
    assert not again.stored and again.answer.pk == first.answer.pk
    assert LiveAnswer.objects.count() == 1


def test_the_server_times_the_answer_from_when_it_sent_the_question(game: Game) -> None:
    player = join(game, "Sam")
    start(game, now=NOW + 60 * SECOND)  # the lobby's minute does not count
    answered = services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 61 * SECOND)
    assert answered.answer.response_ms == 1000


def test_late_answers_are_refused_and_nothing_is_stored(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    with pytest.raises(services.Refused, match="Time is up"):
        services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 21 * SECOND)
    assert not LiveAnswer.objects.exists()


@pytest.mark.parametrize("shown", [[], [99], [-1], [0, 1]])
def test_an_answer_naming_no_button_is_refused(game: Game, shown: list[int]) -> None:
    player = join(game, "Sam")
    start(game)
    with pytest.raises(services.Refused):
        services.submit_answer(player_id=player.pk, position=1, shown=shown, now=NOW + SECOND)


def test_answers_to_a_closed_or_other_question_are_refused(game: Game) -> None:
    player = join(game, "Sam")
    with pytest.raises(services.Refused, match="closed"):
        services.submit_answer(player_id=player.pk, position=1, shown=[0], now=NOW)
    start(game)
    with pytest.raises(services.Refused, match="closed"):
        services.submit_answer(player_id=player.pk, position=2, shown=[0], now=NOW)


def test_scores_and_streaks_are_added_when_the_question_closes(game: Game) -> None:
    fast, slow, _silent = join(game, "fast"), join(game, "slow"), join(game, "silent")
    start(game)
    for player, seconds in ((fast, 0.4), (slow, 10)):
        services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + timedelta(seconds=seconds))
    assert Player.objects.get(pk=fast.pk).score == 0  # not until the answer is shown
    services.advance(game_id=game.pk, from_position=1, now=NOW + 11 * SECOND)
    scores = dict(Player.objects.values_list("nickname", "score"))
    assert scores == {"fast": 1000, "slow": 750, "silent": 0}
    # question 2: fast answers right again (streak bonus +100), slow answers wrong
    services.advance(game_id=game.pk, from_position=1, now=NOW + 12 * SECOND)
    services.submit_answer(player_id=fast.pk, position=2, shown=[right_button(game, 2)], now=NOW + 12.3 * SECOND)
    services.submit_answer(player_id=slow.pk, position=2, shown=[wrong_button(game, 2)], now=NOW + 13 * SECOND)
    services.advance(game_id=game.pk, from_position=2, now=NOW + 14 * SECOND)
    lines = {p.nickname: (p.score, p.streak) for p in Player.objects.all()}
    assert lines == {"fast": (2100, 2), "slow": (750, 0), "silent": (0, 0)}


def test_a_double_click_on_next_advances_once(game: Game) -> None:
    start(game)
    assert services.advance(game_id=game.pk, from_position=1, from_phase=Phase.QUESTION, now=NOW + SECOND).changed
    assert not services.advance(game_id=game.pk, from_position=1, from_phase=Phase.QUESTION, now=NOW + SECOND).changed
    game.refresh_from_db()
    assert (game.phase, game.position) == (Phase.REVEAL, 1)


def test_the_timer_closes_a_question_only_once_its_time_is_up(game: Game) -> None:
    join(game, "Sam")
    start(game)
    assert not services.close_question(game_id=game.pk, position=1, now=NOW + 19 * SECOND).changed
    assert services.close_question(game_id=game.pk, position=1, now=NOW + 20 * SECOND).changed
    assert not services.close_question(game_id=game.pk, position=1, now=NOW + 21 * SECOND).changed


def test_a_question_closes_early_once_everyone_has_answered(game: Game) -> None:
    a, b = join(game, "a"), join(game, "b")
    start(game)
    services.submit_answer(player_id=a.pk, position=1, shown=[0], now=NOW + SECOND)
    assert not services.close_question(game_id=game.pk, position=1, now=NOW + SECOND).changed
    services.submit_answer(player_id=b.pk, position=1, shown=[0], now=NOW + 2 * SECOND)
    assert services.close_question(game_id=game.pk, position=1, now=NOW + 2 * SECOND).changed


def test_a_pause_stops_the_clock_and_response_times_leave_it_out(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    services.pause(game_id=game.pk, position=1, now=NOW + 5 * SECOND)
    with pytest.raises(services.Refused, match="paused"):
        services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 30 * SECOND)
    assert not services.close_question(game_id=game.pk, position=1, now=NOW + 40 * SECOND).changed
    services.resume(game_id=game.pk, position=1, now=NOW + 65 * SECOND)  # paused for a minute
    answered = services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 67 * SECOND)
    assert answered.answer.response_ms == 7000


def test_a_skipped_question_scores_nothing_and_breaks_no_streak(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 0.2 * SECOND)
    services.advance(game_id=game.pk, from_position=1, now=NOW + SECOND)
    services.advance(game_id=game.pk, from_position=1, now=NOW + 2 * SECOND)
    services.submit_answer(player_id=player.pk, position=2, shown=[right_button(game, 2)], now=NOW + 2.2 * SECOND)
    services.skip(game_id=game.pk, position=2, now=NOW + 3 * SECOND)
    game.refresh_from_db()
    assert (game.phase, game.position) == (Phase.QUESTION, 3)
    seat = Player.objects.get(pk=player.pk)
    assert (seat.score, seat.streak) == (1000, 1)
    assert LiveAnswer.objects.filter(game_question__position=2).count() == 1  # kept, not counted
    services.submit_answer(player_id=player.pk, position=3, shown=[right_button(game, 3)], now=NOW + 3.2 * SECOND)
    services.advance(game_id=game.pk, from_position=3, now=NOW + 4 * SECOND)
    assert Player.objects.get(pk=player.pk).score == 1000 + 1100


def test_next_after_the_last_question_finishes_the_game(game: Game) -> None:
    start(game)
    for position in (1, 2, 3):
        services.advance(game_id=game.pk, from_position=position, now=NOW + SECOND)  # close
        services.advance(game_id=game.pk, from_position=position, now=NOW + SECOND)  # next, or finish
    game.refresh_from_db()
    assert game.phase == Phase.FINISHED and game.ending == Ending.COMPLETED


def test_an_unattended_game_ends_itself(game: Game) -> None:
    join(game, "Sam")
    with pytest.raises(services.LiveError):
        services.join_game(pin=game.pin, nickname="late", user=None, now=NOW + services.IDLE_AFTER + SECOND)
    game.refresh_from_db()
    assert game.phase == Phase.FINISHED and game.ending == Ending.IDLE


def test_end_idle_games_ends_only_the_stale_ones(host, quiz) -> None:
    stale = services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1))
    fresh = services.create_game(host=host, quiz=quiz, now=NOW + services.IDLE_AFTER, rng=random.Random(1))
    assert services.end_idle_games(now=NOW + services.IDLE_AFTER + SECOND) == 1
    assert Game.objects.get(pk=stale.pk).phase == Phase.FINISHED
    assert Game.objects.get(pk=fresh.pk).phase == Phase.LOBBY


def test_a_removed_player_cannot_answer_and_drops_out_of_the_standings(game: Game) -> None:
    player = join(game, "rude")
    assert services.remove_player(game_id=game.pk, player_id=player.pk, now=NOW)
    assert not services.remove_player(game_id=game.pk, player_id=player.pk, now=NOW)
    start(game)
    with pytest.raises(services.Refused, match="removed"):
        services.submit_answer(player_id=player.pk, position=1, shown=[0], now=NOW + SECOND)


def test_a_game_from_an_assignment_counts_as_an_attempt_in_the_gradebook(
    host, demo_course, questions, django_capture_on_commit_callbacks
) -> None:
    from tests.classrooms.conftest import fixed_quiz

    classroom = class_services.create_classroom(by=host, name="Group A", course=demo_course, now=NOW)
    learner = UserFactory(username="lea")
    class_services.join_classroom(user=learner, classroom=classroom, now=NOW)
    assignment = fixed_quiz(host, classroom, [questions[0].pk, questions[1].pk])
    game = services.host_game(host=host, setup=services.GameSetup(assignment_id=assignment.pk), now=NOW, rng=random.Random(1))
    assert game.classroom_id == classroom.pk and game.quiz_id == assignment.quiz_id
    seat = join(game, "Lea", user=learner)
    anonymous = join(game, "guest")
    start(game)
    services.submit_answer(player_id=seat.pk, position=1, shown=[right_button(game, 1)], now=NOW + SECOND)
    services.submit_answer(player_id=anonymous.pk, position=1, shown=[right_button(game, 1)], now=NOW + SECOND)
    with django_capture_on_commit_callbacks(execute=True):  # the attempts are written once the end is committed
        services.end_game(game_id=game.pk, now=NOW + 5 * SECOND)
    attempt = Attempt.objects.get(user=learner)
    assert services.record_attempts(game_id=game.pk) == 0  # a second run writes nothing
    # the class's game is not one of the learner's own tries: their one attempt is still theirs
    own = class_services.start_assignment_quiz(user=learner, assignment_id=assignment.pk, now=NOW + 6 * SECOND, rng=random.Random(1))
    assert own.pk != attempt.pk
    assert attempt.quiz_id == assignment.quiz_id and attempt.mode == Mode.ASSIGNED and attempt.finished_at is not None
    fractions = list(attempt.slots.order_by("position").values_list("fraction", flat=True))
    assert fractions == [1]  # the host ended the game after question 1: only what was asked counts
    from studyapp.classrooms import gradebook

    book = gradebook.build(classroom, now=NOW + 10 * SECOND)
    cell = book.rows[0].cells[0]
    assert cell.grade == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_from_one_player_store_one(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def send() -> None:
        barrier.wait()
        try:
            results.append(services.submit_answer(player_id=player.pk, position=1, shown=[0], now=NOW + SECOND).stored)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert LiveAnswer.objects.count() == 1


def test_the_end_idle_games_command_says_how_many_it_ended(host, quiz) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1))
    out = StringIO()
    call_command("end_idle_games", stdout=out)
    assert out.getvalue().strip() == "1 game ended."
    assert Game.objects.get().ending == Ending.IDLE


def test_a_game_ended_before_any_question_records_no_attempt(host, demo_course, questions, django_capture_on_commit_callbacks) -> None:
    from tests.classrooms.conftest import fixed_quiz

    classroom = class_services.create_classroom(by=host, name="Group A", course=demo_course, now=NOW)
    learner = UserFactory(username="lea")
    class_services.join_classroom(user=learner, classroom=classroom, now=NOW)
    assignment = fixed_quiz(host, classroom, [questions[0].pk])
    game = services.host_game(host=host, setup=services.GameSetup(assignment_id=assignment.pk), now=NOW, rng=random.Random(1))
    join(game, "Lea", user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_game(game_id=game.pk, now=NOW + SECOND)  # still in the lobby: their one attempt is not used up
    assert not Attempt.objects.exists()


def test_an_on_time_answer_that_reaches_the_database_after_the_close_still_scores(game: Game) -> None:
    player = join(game, "Sam")
    start(game)
    # the host shows the answer at 3 s; an answer sent at 2 s was still on its way
    services.advance(game_id=game.pk, from_position=1, from_phase=Phase.QUESTION, now=NOW + 3 * SECOND)
    answered = services.submit_answer(player_id=player.pk, position=1, shown=[right_button(game, 1)], now=NOW + 2 * SECOND)
    assert answered.stored and answered.answer.points == 950
    seat = Player.objects.get(pk=player.pk)
    assert (seat.score, seat.streak) == (950, 1)
    with pytest.raises(services.Refused, match="closed"):  # sent after the answer was shown: refused
        services.submit_answer(player_id=join(game, "Ann").pk, position=1, shown=[0], now=NOW + 4 * SECOND)


def test_removed_players_answers_do_not_count_towards_everyone_answered(game: Game) -> None:
    a, b, c = join(game, "a"), join(game, "b"), join(game, "c")
    start(game)
    services.submit_answer(player_id=a.pk, position=1, shown=[0], now=NOW + SECOND)
    services.remove_player(game_id=game.pk, player_id=a.pk, now=NOW + SECOND)
    services.submit_answer(player_id=b.pk, position=1, shown=[0], now=NOW + SECOND)
    game.refresh_from_db()
    assert services.answered_counts(game) == (1, 2)
    assert not services.close_question(game_id=game.pk, position=1, now=NOW + 2 * SECOND).changed  # c has not answered
    services.submit_answer(player_id=c.pk, position=1, shown=[0], now=NOW + 2 * SECOND)
    assert services.close_question(game_id=game.pk, position=1, now=NOW + 2 * SECOND).changed


def test_a_skip_that_lands_after_the_close_does_not_skip_the_reveal(game: Game) -> None:
    start(game)
    services.close_question(game_id=game.pk, position=1, now=NOW + 20 * SECOND)
    assert not services.skip(game_id=game.pk, position=1, now=NOW + 21 * SECOND).changed
    game.refresh_from_db()
    assert (game.phase, game.position) == (Phase.REVEAL, 1)


def test_a_nickname_that_grows_when_case_folded_fits(game: Game) -> None:
    player = join(game, "ﬃ" * 20)  # casefolds to 60 characters
    assert player.nickname_key == "ffi" * 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_never_seat_more_than_the_game_holds(game: Game) -> None:
    Game.objects.filter(pk=game.pk).update(max_players=3)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def arrive(number: int) -> None:
        barrier.wait()
        try:
            services.join_game(pin=game.pin, nickname=f"player {number}", user=None, now=NOW)
            outcomes.append("seated")
        except services.LiveError as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This game is full."] * 5 + ["seated"] * 3
    assert Player.objects.filter(game=game).count() == 3
