"""The import graph of our packages, built from the source with `ast`: every import statement,
at module level or nested in a function, class or `if`, with relative imports resolved. An
import names the most specific module of ours it reaches (`from courses.services import booking`
is an edge to `courses.services.booking`, `from courses.models import Run` one to
`courses.models`), as grimp counts them. Imports under `if TYPE_CHECKING:` count too: a circle
hidden from the interpreter is still one in the design."""

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.house.tree import ROOT, module_name, python_files


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: str
    line: int
    in_function: bool

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def is_hacksoft_exception(edge: Import) -> bool:
    """The one allowed way back up (HackSoft's rule): a task calls its app's service through an
    import inside the function, while the service imports the task at module level to enqueue it.
    """
    importer, imported = edge.importer.split("."), edge.imported.split(".")
    return (
        edge.in_function
        and len(importer) > 1
        and len(imported) > 1
        and importer[0] == imported[0]
        and importer[1] == "tasks"
        and imported[1] == "services"
    )


def build_graph(packages: list[str], root: Path = ROOT) -> dict[str, list[Import]]:
    """Module -> the imports it makes of other modules of `packages`."""
    files = {module_name(path, root): path for path in python_files(*packages, root=root)}
    known = set(files)
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        relative = str(path.relative_to(root))
        graph[module] = [
            Import(module, target, relative, line, in_function)
            for target, line, in_function in _imports(tree, module, is_package, known)
            if target != module
        ]
    return graph


def _imports(tree, module: str, is_package: bool, known: set[str]):
    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _nearest_known(alias.name, known)
                    if target:
                        yield target, child.lineno, in_function
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, module, is_package)
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"
                    target = submodule if submodule in known else _nearest_known(base, known)
                    if target:
                        yield target, child.lineno, in_function
            yield from visit(child, nested)

    yield from visit(tree, False)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def _nearest_known(name: str, known: set[str]) -> str | None:
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def cycles(graph: dict[str, list[Import]], allowed=is_hacksoft_exception) -> list[list[Import]]:
    """One shortest cycle for every strongly connected group of modules, as the chain of imports
    that closes it, after leaving out the `allowed` imports."""
    edges = {
        module: [edge for edge in imports if edge.imported in graph and not allowed(edge)]
        for module, imports in graph.items()
    }
    found = []
    for group in _strongly_connected(edges):
        if len(group) > 1:
            found.append(_shortest_cycle(min(group), group, edges))
    return sorted(found, key=lambda chain: chain[0].importer)


def _strongly_connected(edges: dict[str, list[Import]]) -> list[set[str]]:
    # Tarjan's algorithm, iterative so that a long chain of imports cannot hit the recursion limit.
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for edge in children:
                child = edge.imported
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _shortest_cycle(start: str, group: set[str], edges: dict[str, list[Import]]) -> list[Import]:
    came_by = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in edges[node]:
                if edge.imported not in group:
                    continue
                if edge.imported == start:
                    chain = [edge]
                    while chain[0].importer != start:
                        chain.insert(0, came_by[chain[0].importer])
                    return chain
                if edge.imported not in came_by:
                    came_by[edge.imported] = edge
                    following.append(edge.imported)
        frontier = following
    raise AssertionError(f"no cycle through {start} in its strongly connected group")


def describe(chain: list[Import]) -> str:
    steps = [f"  {edge.importer} -> {edge.imported}  ({edge.where()})" for edge in chain]
    return "\n".join(steps)
