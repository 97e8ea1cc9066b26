"""No import circle between modules of our packages. The one allowed way back up is HackSoft's
rule: a task imports its app's service inside the function (the service imports the task at
module level to enqueue it). Everything else that closes a circle fails here, named with the
file and line of each import."""

import textwrap

import pytest

from tests.house.imports import build_graph, cycles, describe
from tests.house.tree import root_packages


def test_no_import_cycle_between_our_modules():
    graph = build_graph(root_packages())
    assert {"core.models", "courses.models", "config.settings"} <= set(graph)
    found = cycles(graph)
    if found:
        report = "\n\n".join(describe(chain) for chain in found)
        pytest.fail(f"{len(found)} import cycle(s); break each one:\n{report}")


def _tree(tmp_path, files: dict[str, str]):
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return build_graph(["shop"], root=tmp_path)


def _cycle_names(graph):
    return [[edge.importer for edge in chain] for chain in cycles(graph)]


INIT = {"shop/__init__.py": "", "shop/tasks/__init__.py": "", "shop/services/__init__.py": ""}


def test_a_task_importing_its_service_inside_the_function_is_the_one_exception(tmp_path):
    graph = _tree(
        tmp_path,
        INIT
        | {
            "shop/services/orders.py": "from ..tasks.mail import send_mail as send_mail_task\n",
            "shop/tasks/mail.py": """
                def send_mail(pk):
                    from shop.services import orders
                """,
        },
    )
    assert [edge.imported for edge in graph["shop.tasks.mail"]] == ["shop.services.orders"]
    assert _cycle_names(graph) == []


def test_the_same_import_at_module_level_is_a_cycle(tmp_path):
    graph = _tree(
        tmp_path,
        INIT
        | {
            "shop/services/orders.py": "from shop.tasks import mail\n",
            "shop/tasks/mail.py": "from ..services.orders import place\n",
        },
    )
    assert _cycle_names(graph) == [["shop.services.orders", "shop.tasks.mail"]]
    assert "shop/tasks/mail.py:1" in describe(cycles(graph)[0])


def test_a_cycle_through_a_function_level_import_elsewhere_is_found(tmp_path):
    graph = _tree(
        tmp_path,
        INIT
        | {
            "shop/emails.py": """
                class Mailer:
                    def send(self):
                        from .services import orders
                """,
            "shop/services/orders.py": "from shop.tasks import mail\n",
            "shop/tasks/mail.py": "import shop.emails\n",
        },
    )
    assert _cycle_names(graph) == [["shop.emails", "shop.services.orders", "shop.tasks.mail"]]
