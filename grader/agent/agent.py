"""The agent: the only grader code that runs inside the sandbox.

It imports the submission's ``solution.py`` and executes requests that arrive
as JSON lines on its original stdin, answering with JSON lines on its original
stdout. Before any submission code runs it moves that protocol channel to
private descriptors, points the submission's stdout at stderr (which the host
captures and caps) and applies the resource limits it was started with.

It must stay importable on its own with only the standard library: the host
imports it for the value codec, the Docker backend sends this file as the
payload of a ``python3 -I -c`` bootstrap, and it never imports ``grader``.
Nothing it reports is trusted: the submission shares this process and may
forge any answer, so the host treats every reply as the submission's claim.
"""

import functools
import gc
import json
import os
import sys
import traceback

PROTOCOL_VERSION = 1
MAX_MESSAGE_CHARS = 2000
MAX_NODES = 200_000         # equal to the host's MAX_TABLE_NODES (grader/harness/nodes.py)
# The note that a step is starting, completed by its index and "}\n" (the host reads it as bytes).
PROGRESS_NOTE = b'{"id": %d, "progress": '
PREVIEW_CHARS = 120

NoneType = type(None)


# --------------------------------------------------------------------------
# Value codec: a flat table of nodes, so depth never meets a recursion limit
# and shared references survive the trip. Both sides use these functions.
# --------------------------------------------------------------------------

class Probe:
    """An opaque object the grader asks for by id; identity is what matters."""

    __slots__ = ("probe_id",)

    def __init__(self, probe_id):
        self.probe_id = probe_id

    def __repr__(self):
        return "<object #%d>" % self.probe_id

    def __eq__(self, other):
        return type(other) is type(self) and other.probe_id == self.probe_id

    def __hash__(self):
        return hash(("probe", self.probe_id))


class IterableProbe(Probe):
    """An opaque object that is iterable but is not a list."""

    __slots__ = ()

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __repr__(self):
        return "<iterable object #%d>" % self.probe_id


class ListSubclass(list):
    """A list subclass, for checking that subclasses are treated as lists."""

    def __repr__(self):
        return "ListSubclass(%s)" % list.__repr__(self)


class Ref:
    """Names an object bound earlier in the same program (host side)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class TooLarge(Exception):
    """A value has more nodes than the protocol carries."""


def _plain(value):
    """Return (tag, payload) for a value, converting builtin subclasses to
    their base type with the base type's own methods, so that an overridden
    __eq__, __str__ or __iter__ cannot change what crosses the boundary."""
    kind = type(value)
    if value is None:
        return "N", None
    if kind is bool:
        return "B", value
    if isinstance(value, Probe):
        return ("PI" if isinstance(value, IterableProbe) else "P"), value.probe_id
    if isinstance(value, Ref):
        return "R", value.name
    if isinstance(value, ListSubclass):
        return "LS", list.__getitem__(value, slice(None))
    if isinstance(value, int):
        return "I", int.__index__(value)
    if isinstance(value, float):
        return "F", float.__float__(value)
    if isinstance(value, str):
        return _str_node(str.__getitem__(value, slice(None)))
    if isinstance(value, (bytes, bytearray)):
        return "Y", bytes(value).hex()
    if isinstance(value, list):
        return "L", list.__getitem__(value, slice(None))
    if isinstance(value, tuple):
        return "T", tuple.__getitem__(value, slice(None))
    if isinstance(value, dict):
        return "D", list(dict.items(value))
    if isinstance(value, frozenset):
        return "Z", list(frozenset.__iter__(value))
    if isinstance(value, set):
        return "E", list(set.__iter__(value))
    return "O", "%s.%s" % (getattr(kind, "__module__", "?"), getattr(kind, "__qualname__", "?"))


def without_gc(func):
    """Pause the cyclic collector while building many containers at once: it
    would otherwise rescan them again and again (5x slower on deep values)."""
    @functools.wraps(func)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


loads = without_gc(json.loads)


def _str_node(text):
    """("S", text), or ("SX", hex) for text holding surrogates: JSON would
    join an escaped high+low surrogate pair into one code point."""
    if text.isascii():
        return "S", text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "SX", text.encode("utf-32-le", "surrogatepass").hex()
    return "S", text


_SCALAR_TAGS = {int: "I", float: "F", bool: "B"}
_SHARED_TYPES = (list, dict, set, tuple, frozenset, Probe)


# Values this small and flat (a scalar, a list or tuple of up to this many
# scalars: most arguments and answers) skip the general walk, nearly every call.
FLAT_ITEMS = 64
_FLAT_SCALARS = ("B", "I", "F", "S")
# A longer list of exact ints (a sorted list read back) crosses packed, as one
# node ["LI", [ints]]: a node per item cost 23 ms per 25,000 items to encode,
# send and check, packed 4 ms. Shorter than this: the list and its items are at
# most the host's MAX_EXPANDED_VALUES (grader/harness/nodes.py), as unpacked.
PACKED_INTS = 100_000


def encode(value, max_nodes=MAX_NODES):
    """Encode a value as a JSON-ready node table; node 0 is the value.
    A scalar, or a list or tuple of at most FLAT_ITEMS scalars, gets the
    very table the general walk makes, without it; a longer list of exact
    ints is packed (PACKED_INTS)."""
    kind = type(value)
    if kind is list or kind is tuple:
        if len(value) <= FLAT_ITEMS and len(value) < max_nodes:
            nodes = [None]
            for item in value:
                tag = _SCALAR_TAGS.get(type(item))
                if tag is not None:
                    nodes.append([tag, item])
                elif type(item) is str:
                    nodes.append(list(_str_node(item)))
                else:
                    break
            else:
                nodes[0] = ["L" if kind is list else "T", list(range(1, len(nodes)))]
                return nodes
        elif kind is list and len(value) < PACKED_INTS and len(value) < max_nodes:
            items = list.__getitem__(value, slice(None))    # checked as copied: another thread may change value
            if set(map(type, items)) == {int}:
                return [["LI", items]]
    elif value is None:
        return [["N"]]
    else:
        tag = _SCALAR_TAGS.get(kind)
        if tag is not None:
            return [[tag, value]]
        if kind is str:
            return [list(_str_node(value))]
    return encode_general(value, max_nodes)


@without_gc
def encode_general(value, max_nodes=MAX_NODES):
    """``encode`` for any value: shared parts kept, cycles and all."""
    nodes = []
    seen = {}
    keepalive = []
    pending = []
    scalar_tags = _SCALAR_TAGS
    append = nodes.append

    def ref(obj):
        kind = type(obj)
        tag = scalar_tags.get(kind)
        if tag is not None:          # the common case: exact builtin scalars
            append([tag, obj])
            return len(nodes) - 1
        if kind is str:
            append(list(_str_node(obj)))
            return len(nodes) - 1
        key = id(obj)
        if key in seen:
            return seen[key]
        index = len(nodes)
        append(None)
        if isinstance(obj, _SHARED_TYPES):
            seen[key] = index
            keepalive.append(obj)
        pending.append((index, obj))
        return index

    ref(value)
    while pending:
        if len(nodes) > max_nodes:
            raise TooLarge("more than %d values" % max_nodes)
        index, obj = pending.pop()
        if type(obj) is list:        # exact lists need no conversion
            nodes[index] = ["L", [ref(item) for item in obj]]
            continue
        tag, payload = _plain(obj)
        if tag in ("L", "T", "E", "Z", "LS"):
            nodes[index] = [tag, [ref(item) for item in payload]]
        elif tag == "D":
            nodes[index] = [tag, [[ref(k), ref(v)] for k, v in payload]]
        elif tag == "N":
            nodes[index] = [tag]
        else:
            nodes[index] = [tag, payload]
    if len(nodes) > max_nodes:
        raise TooLarge("more than %d values" % max_nodes)
    return nodes


def decode(nodes, probes=None, bound=None):
    """Rebuild a value from a node table; ``probes`` keeps probe identity.
    A scalar or a flat list or tuple of scalars is read directly."""
    head = nodes[0]
    if len(nodes) == 1 and head[0] in _FLAT_SCALARS:
        return head[1]
    if len(nodes) == 1 and head[0] == "N":
        return None
    if len(nodes) == 1 and head[0] == "LI":     # packed ints (encode), in the host's arguments too
        return list(head[1])
    if len(nodes) <= FLAT_ITEMS + 1:
        if head[0] in ("L", "T") and head[1] == list(range(1, len(nodes))):
            items = _flat_items(nodes, bound)
            if items is not None:
                return items if head[0] == "L" else tuple(items)
        elif head[0] == "D" and bound is not None:
            value = _flat_kwargs(nodes, bound)
            if value is not None:
                return value
    return decode_general(nodes, probes, bound)


def _flat_items(nodes, bound):
    """The items of nodes[1:] when each is a scalar, or (with ``bound``, a
    step's arguments) a reference to an object bound in the sandbox, as the
    general walk reads them; None for anything else."""
    items = []
    for node in nodes[1:]:
        tag = node[0]
        if tag in _FLAT_SCALARS:
            items.append(node[1])
        elif tag == "R" and bound is not None:
            items.append(bound[node[1]])
        else:
            return None
    return items


def _flat_kwargs(nodes, bound):
    """A step's keyword arguments, when each name is a string node and each
    value a scalar or a reference (most of them), read as the general walk
    reads them; None for anything else."""
    pairs = nodes[0][1]
    if type(pairs) is not list or not all(node[0] in _FLAT_SCALARS or node[0] == "R" for node in nodes[1:]):
        return None
    value = {}
    for pair in pairs:
        if type(pair) is not list or len(pair) != 2:
            return None
        key_index, value_index = pair
        if type(key_index) is not int or type(value_index) is not int \
                or not 0 < key_index < len(nodes) or not 0 < value_index < len(nodes):
            return None
        key, item = nodes[key_index], nodes[value_index]
        if key[0] != "S":
            return None
        if item[0] in _FLAT_SCALARS:
            value[key[1]] = item[1]
        elif item[0] == "R":
            value[key[1]] = bound[item[1]]
        else:
            return None
    return value


@without_gc
def decode_general(nodes, probes=None, bound=None):
    """Rebuild a value from a node table; ``probes`` keeps probe identity.

    Mutable containers are created empty first, immutable values are built
    children-first without recursion, then the containers are filled.
    """
    if probes is None:
        probes = {}
    built = {}
    mutable = {"L": list, "LS": ListSubclass, "D": dict, "E": set}
    for index, node in enumerate(nodes):
        if node[0] in mutable:
            built[index] = mutable[node[0]]()
    for start in range(len(nodes)):
        stack = [start]
        while stack:
            index = stack[-1]
            if index in built:
                stack.pop()
                continue
            tag = nodes[index][0]
            if tag in ("T", "Z"):
                waiting = [i for i in nodes[index][1] if i not in built]
                if waiting:
                    stack.extend(waiting)
                    continue
                items = [built[i] for i in nodes[index][1]]
                built[index] = tuple(items) if tag == "T" else frozenset(items)
            else:
                built[index] = _scalar(nodes[index], probes, bound)
            stack.pop()
    for index, node in enumerate(nodes):
        tag = node[0]
        if tag in ("L", "LS"):
            built[index].extend(built[i] for i in node[1])
        elif tag == "E":
            built[index].update(built[i] for i in node[1])
        elif tag == "D":
            for key_index, value_index in node[1]:
                built[index][built[key_index]] = built[value_index]
    return built[0]


def _scalar(node, probes, bound):
    tag = node[0]
    if tag == "N":
        return None
    if tag in ("B", "I", "F", "S"):
        return node[1]
    if tag == "Y":
        return bytes.fromhex(node[1])
    if tag == "SX":
        return bytes.fromhex(node[1]).decode("utf-32-le", "surrogatepass")
    if tag in ("P", "PI"):
        key = (tag, node[1])
        if key not in probes:
            probes[key] = (IterableProbe if tag == "PI" else Probe)(node[1])
        return probes[key]
    if tag == "O":
        return Opaque(node[1])
    if tag == "R":
        if bound is None:
            return Ref(node[1])
        return bound[node[1]]
    raise ValueError("unknown node tag %r" % (tag,))


class Opaque:
    """Stands, on the host, for an object that is not plain data."""

    __slots__ = ("type_name",)

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return "<%s object>" % self.type_name

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


# --------------------------------------------------------------------------
# Inside the sandbox
# --------------------------------------------------------------------------

def _text(obj):
    """str(obj) for a submission's object, bounded and never raising."""
    try:
        text = str(obj)
    except BaseException:  # noqa: BLE001 - the submission controls __str__
        return "<unprintable>"
    if type(text) is not str:
        return "<unprintable>"
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "... [%d more characters]" % (len(text) - MAX_MESSAGE_CHARS)
    return text


def answer_digest(results):
    """What a benchmark batch returned, as the host compares it: the SHA-256
    of its repr (workloads return plain data, canonicalised where order does
    not matter), how many answers it holds, and the start of the repr."""
    import hashlib
    text = repr(results)
    if type(text) is not str:
        raise TypeError("the answers have no text form")
    count = len(results) if type(results) in (list, tuple) else None
    return {"digest": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            "count": count, "preview": text[:PREVIEW_CHARS]}


_RELATIVE = {}      # (filename, workdir) -> os.path.relpath: a raise costs one lookup, not a path walk


def _relative(filename, workdir):
    key = (filename, workdir)
    found = _RELATIVE.get(key)
    if found is None:
        if len(_RELATIVE) > 1000:      # a submission may compile code under ever new names
            _RELATIVE.clear()
        found = _RELATIVE[key] = os.path.relpath(filename, workdir)
    return found


def describe_exception(exc, workdir):
    """JSON facts about an exception: type, its MRO, message and where in the
    submission it came from."""
    kind = type(exc)
    mro = []
    for base in getattr(kind, "__mro__", (kind,)):
        mro.append("%s.%s" % (getattr(base, "__module__", "?"), getattr(base, "__qualname__", "?")))
    where = None
    frames = []
    try:
        # The frames themselves, not traceback.extract_tb: that reads every
        # frame's source line (a stat and a file read each), which is not sent.
        for frame, line in traceback.walk_tb(exc.__traceback__):
            filename = frame.f_code.co_filename
            if type(filename) is str and filename.startswith(workdir):
                relative = _relative(filename, workdir)
                frames.append("  File %r, line %s, in %s" % (relative, line, frame.f_code.co_name))
                where = {"file": relative, "line": line}
    except BaseException:  # noqa: BLE001
        pass
    info = {"type": kind.__qualname__ if hasattr(kind, "__qualname__") else "?",
            "mro": mro, "message": _text(exc), "where": where,
            "traceback": "\n".join(frames[-10:])}
    if isinstance(exc, SyntaxError):
        info["where"] = {"file": os.path.relpath(exc.filename or "?", workdir) if exc.filename else None,
                         "line": exc.lineno}
    return info


class Agent:
    """Executes requests against the imported submission."""

    def __init__(self, workdir, module_name):
        self.workdir = workdir
        self.module_name = module_name
        self.module = None
        self.objects = {}
        self.probes = {}
        self.workloads = {}
        self.bench_state = None
        self.progress = None        # serve() sets it: tells the host which step is starting
        self.fixtures = {}          # name -> fixture(agent, *args): from the challenge's sandbox_fixtures.py
        self.scratch = {}           # the fixtures' state for one run (cleared with the objects)

    def handle(self, request):
        op = request.get("op")
        handler = getattr(self, "op_" + str(op), None)
        if handler is None:
            return {"ok": False, "protocol_error": "unknown op %r" % (op,)}
        return handler(request)

    def op_hello(self, request):
        return {"ok": True, "protocol": PROTOCOL_VERSION, "python": list(sys.version_info[:3])}

    def op_import(self, request):
        import importlib
        if request.get("fixtures"):
            self.load_fixtures(request["fixtures"])
        try:
            self.module = importlib.import_module(self.module_name)
        except BaseException as exc:  # noqa: BLE001 - anything at import is the submission's
            return {"ok": False, "raised": describe_exception(exc, self.workdir)}
        missing, not_callable = [], []
        for name in request.get("entry_points", []):
            if not hasattr(self.module, name):
                missing.append(name)
            elif not callable(getattr(self.module, name)):
                not_callable.append(name)
        return {"ok": True, "missing": missing, "not_callable": not_callable}

    @staticmethod
    def text(obj):
        """str(obj) bounded and never raising, for fixtures' reports."""
        return _text(obj)

    def load_fixtures(self, source):
        """The challenge's sandbox_fixtures.py, run before the submission is
        imported: its FIXTURES dict adds fixtures by name, and its optional
        before_import(agent) prepares what must be in place first. It runs
        beside the submission, so nothing it reports is trusted either."""
        namespace = {"__name__": "grader_fixtures"}
        exec(compile(source, "<challenge sandbox_fixtures.py>", "exec"), namespace)
        self.fixtures.update(namespace.get("FIXTURES", {}))
        if callable(namespace.get("before_import")):
            namespace["before_import"](self)

    def op_bench_setup(self, request):
        """Build a benchmark's inputs (untimed): the workload's setup function
        gets the submission module, a size and a seed; its result is kept for
        the next ``bench_run``. Workload code comes from the challenge's
        benchmark spec; it is not secret and holds no expected answers."""
        self.bench_state = None
        # Imported here, untimed: the first import of hashlib in a bench_run would map
        # some 3.6 MB of its libraries into the process while its memory is read.
        import hashlib  # noqa: F401
        try:
            source = request["workload"]
            namespace = self.workloads.get(source)
            if namespace is None:
                namespace = {"__name__": "grader_workload"}
                exec(compile(source, "<benchmark workload>", "exec"), namespace)
                self.workloads[source] = namespace
            setup = namespace[request["setup"]]
            self.bench_state = (namespace[request["run"]], setup(self.module, request["size"], request["seed"]))
        except BaseException as exc:  # noqa: BLE001 - the submission's code runs in setup too
            return {"ok": False, "raised": describe_exception(exc, self.workdir)}
        return {"ok": True}

    def op_bench_run(self, request):
        """Run the prepared workload once with the garbage collector off and
        answer with a digest of what it returned. The host times this whole
        request from outside and compares the digest with the reference's on
        the same inputs; memory is measured from outside too. The digest is
        computed inside the timed request on purpose: work put off until
        after the reply could not be seen in the time."""
        if self.bench_state is None:
            return {"ok": False, "protocol_error": "no benchmark was set up"}
        run, state = self.bench_state
        self.bench_state = None
        gc.disable()
        try:
            results = run(state)
            reply = {"ok": True}
            reply.update(answer_digest(results))
        except BaseException as exc:  # noqa: BLE001
            return {"ok": False, "raised": describe_exception(exc, self.workdir)}
        finally:
            state = results = None
            gc.enable()
        return reply

    def op_reset(self, request):
        self.objects.clear()
        self.probes.clear()
        self.scratch.clear()
        return {"ok": True}

    def op_run(self, request):
        if request.get("reset"):
            self.objects.clear()
            self.probes.clear()
            self.scratch.clear()
        results = []
        progress = self.progress
        for index, step in enumerate(request["steps"]):
            if progress is not None:
                progress(index)     # so that a step that never returns can be named
            results.append(self.run_step(step))
        return {"ok": True, "results": results}

    def run_step(self, step):
        try:
            args = decode(step["args"], self.probes, self.objects) if step.get("args") else []
            kwargs = decode(step["kwargs"], self.probes, self.objects) if step.get("kwargs") else {}
            target = step.get("target")
            if step.get("fixture"):
                fixture = self.fixtures[step["fixture"]]
                func = lambda *a, **k: fixture(self, *a, **k)  # noqa: E731
            elif target is None:
                func = getattr(self.module, step["name"])
            else:
                func = getattr(self.objects[target], step["name"])
        except BaseException as exc:  # noqa: BLE001
            return {"ok": False, "raised": describe_exception(exc, self.workdir)}
        try:
            value = func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported, judged on the host
            result = {"ok": False, "raised": describe_exception(exc, self.workdir)}
        else:
            result = {"ok": True}
            if step.get("bind"):
                self.objects[step["bind"]] = value
                result["bound"] = _plain(value)[1] if _plain(value)[0] == "O" else type(value).__name__
            else:
                result.update(self.encode_value("value", value))
        if step.get("keep_args"):
            result.update(self.encode_value("args_after", args))
        return result

    def encode_value(self, key, value):
        try:
            return {key: encode(value)}
        except TooLarge as exc:
            return {key + "_error": "the value is too large to check (%s)" % exc}
        except BaseException as exc:  # noqa: BLE001 - e.g. a dict whose items() was tampered with
            return {key + "_error": "the value could not be read (%s: %s)" % (type(exc).__name__, _text(exc))}


def _apply_limits(limits):
    import resource
    mapping = {
        "address_space": resource.RLIMIT_AS,
        "cpu_seconds": resource.RLIMIT_CPU,
        "file_size": resource.RLIMIT_FSIZE,
        "open_files": resource.RLIMIT_NOFILE,
        "core": resource.RLIMIT_CORE,
        "processes": resource.RLIMIT_NPROC,
    }
    for name, value in limits.items():
        if name in mapping and value is not None:
            resource.setrlimit(mapping[name], (value, value))




def _prctl(option, value):
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except Exception:  # noqa: BLE001 - not Linux, or no libc: bubblewrap covers it where present
        pass


def _drop_privileges(uid):
    """Become the sandbox's unprivileged user for good (started as root)."""
    _prctl(38, 1)  # PR_SET_NO_NEW_PRIVS: no setuid binary can give anything back
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("could not drop privileges")


def _take_protocol_channel():
    """Move the protocol off fds 0/1 and give the submission /dev/null as
    stdin and stderr as stdout, so nothing it prints can reach the host as
    a reply by accident."""
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    # Unbuffered, so what was printed before a crash or a kill is not lost.
    import io
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", write_through=True)
    return os.fdopen(proto_in, "rb", buffering=0), proto_out


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _progress_channel(fd):
    """The host's pipe for progress notes, made non-blocking and, like the
    protocol's fds, not inherited by what the submission runs (passed to
    us, it was); None without one."""
    if type(fd) is not int:
        return None
    try:
        os.set_blocking(fd, False)
        os.set_inheritable(fd, False)
    except OSError:
        return None
    return fd


def _note(progress_fd, proto_out, prefix, index):
    """Tell the host that step ``index`` is starting. On the progress pipe,
    which the host reads only when a request times out, a note wakes nobody;
    when that pipe is full or gone (the submission may close it), on the
    protocol channel, which the host reads as it comes."""
    data = prefix + b"%d}\n" % index
    if progress_fd is not None:
        try:
            if os.write(progress_fd, data) == len(data):    # a pipe write this short is all or nothing
                return
        except OSError:
            pass
    _write_all(proto_out, data)


def serve(config):
    reader, proto_out = _take_protocol_channel()
    reader = __import__("io").BufferedReader(reader, 1 << 16)
    workdir = config["workdir"]
    os.chdir(workdir)
    sys.dont_write_bytecode = True
    # After the standard library, never before it: a submission's random.py or
    # json.py can then never be imported in place of the real module by the
    # agent, a fixture or a benchmark workload (the rules report such files).
    sys.path.append(workdir)
    sys.argv = ["solution.py"]
    _apply_limits(config.get("limits", {}))
    if config.get("uid") is not None:
        _drop_privileges(config["uid"])
    _prctl(1, 9)  # PR_SET_PDEATHSIG = SIGKILL: die with the grader (set after the uid change, which clears it)
    agent = Agent(workdir, config.get("module", "solution"))
    progress_fd = _progress_channel(config.get("progress_fd"))
    dumps = json.dumps
    while True:
        line = reader.readline()
        if not line:
            return
        request = loads(line)
        request_id = request.get("id")
        if type(request_id) is int:
            agent.progress = functools.partial(_note, progress_fd, proto_out, PROGRESS_NOTE % request_id)
        try:
            reply = agent.handle(request)
        except BaseException as exc:  # noqa: BLE001 - keep serving; the host judges
            reply = {"ok": False, "protocol_error": "agent failure: %s" % _text(exc)}
        reply["id"] = request.get("id")
        try:
            data = dumps(reply).encode("utf-8", "surrogatepass") + b"\n"
        except BaseException as exc:  # noqa: BLE001
            data = dumps({"id": request.get("id"), "ok": False,
                          "protocol_error": "unencodable reply: %s" % _text(exc)}).encode() + b"\n"
        _write_all(proto_out, data)


def main(argv):
    serve(json.loads(argv[1]))


if __name__ == "__main__":
    main(sys.argv)
