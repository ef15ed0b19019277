"""CI integrations a governance repository carries: the GitHub Actions workflow.

The workflow template is shared by this repository's own ``.github/workflows/rai-graph.yml`` and by
``rai-graph init``; a test keeps the committed file equal to the rendered template.
"""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, StrictUndefined

from rai_graph._version import __version__

WORKFLOW_PATH = ".github/workflows/rai-graph.yml"


def workflow_yaml(install_command: str | None = None, default_branch: str = "main") -> str:
    """The workflow; by default it installs this version of rai-graph from PyPI."""
    template_text = (
        resources.files("rai_graph").joinpath("templates/init/rai-graph-workflow.yml.j2")
        .read_text("utf-8")
    )
    # YAML, not HTML: nothing to autoescape; StrictUndefined catches a misspelt variable.
    environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True,
                              autoescape=False)
    template = environment.from_string(template_text)
    return template.render(
        install_command=install_command or f"python -m pip install 'rai-graph=={__version__}'",
        default_branch=default_branch,
    )
