#!/usr/bin/env python3
"""Churn scorer: a logistic-regression model server on the Python standard library only.

    python3 server.py [--port 8080] [--metrics-port 9090] [--model-dir DIR]

Endpoints, on --port:

    GET  /healthz   liveness: 200 while the process serves requests
    GET  /ready     readiness: 200 once the weights are loaded and checked, else 503
    GET  /metrics   Prometheus text format: requests, requests in flight, latency, model state
                    (also on --metrics-port, which serves nothing else, when one is given)
    POST /predict   {"instances": [{"tenure_months": 3, "monthly_charges": 80.5, ...}, ...]}
                    -> {"predictions": [{"churn_probability": 0.71, "churn": true}, ...],
                        "model": "churn-logreg", "model_version": "1"}
                    400 with {"error": ...} on bad input

The weights are $MODEL_PATH/weights/model.json (features, threshold, checksum) and
model.safetensors (the fitted coefficients), loaded in the background at start so /healthz
answers at once and /ready only when the model can serve. Runs as any uid, writes nothing
(not even __pycache__), so it runs with a read-only root filesystem; SIGTERM stops it at once.
Works with Python 3.8 or later: Debian's /usr/bin/python3 or the python image's python3.
"""
import sys

sys.dont_write_bytecode = True  # the root filesystem is read-only: never try to write __pycache__

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

MAX_BODY_BYTES = 1 << 20
MAX_INSTANCES = 1024
POLL_SECONDS = 0.1  # how soon serve_forever notices a shutdown (SIGTERM)
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


def log(message, **fields):
    """One JSON line on stderr (the container log)."""
    fields.update(ts=round(time.time(), 3), msg=message)
    sys.stderr.write(json.dumps(fields, sort_keys=True) + "\n")
    sys.stderr.flush()


class BadInput(ValueError):
    """A client error: answered with 400 and the message."""


# ---------------------------------------------------------------------------------------------
# The model


def read_safetensors(path):
    """The F64/F32 tensors of a safetensors file, as flat lists of floats, plus its metadata."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("%s: too short for a safetensors file" % path)
    (header_len,) = struct.unpack("<Q", blob[:8])
    if header_len > len(blob) - 8:
        raise ValueError("%s: header length %d runs past the end of the file" % (path, header_len))
    header = json.loads(blob[8:8 + header_len].decode("utf-8"))
    data = blob[8 + header_len:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        width = {"F64": 8, "F32": 4}.get(dtype)
        if width is None:
            raise ValueError("%s: tensor %s has dtype %s; expected F64 or F32" % (path, name, dtype))
        count = 1
        for dim in shape:
            count *= dim
        if not 0 <= begin <= end <= len(data) or end - begin != count * width:
            raise ValueError("%s: tensor %s has bad data offsets %s" % (path, name, [begin, end]))
        tensors[name] = list(struct.unpack("<%d%s" % (count, "d" if width == 8 else "f"), data[begin:end]))
    return tensors, metadata


class Model:
    """p(churn) = sigmoid(intercept + sum(coef[i] * (x[i] - mean[i]) / scale[i]))."""

    def __init__(self, weights_dir):
        with open(os.path.join(weights_dir, "model.json"), encoding="utf-8") as f:
            card = json.load(f)
        self.name = card["name"]
        self.version = str(card["version"])
        self.features = card["features"]
        self.threshold = float(card["threshold"])
        path = os.path.join(weights_dir, card["tensors"]["file"])
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != card["tensors"]["sha256"]:
            raise ValueError("%s: sha256 %s does not match model.json (%s)" % (path, digest, card["tensors"]["sha256"]))
        tensors, _ = read_safetensors(path)
        n = len(self.features)
        for name, size in (("coef", n), ("mean", n), ("scale", n), ("intercept", 1)):
            if len(tensors.get(name, ())) != size:
                raise ValueError("%s: tensor %s must hold %d values (one per feature)" % (path, name, size))
        if any(s <= 0 for s in tensors["scale"]):
            raise ValueError("%s: every scale must be positive" % path)
        self.coef, self.mean, self.scale = tensors["coef"], tensors["mean"], tensors["scale"]
        self.intercept = tensors["intercept"][0]

    def features_of(self, index, instance):
        """The feature vector of one instance (an object of feature name to value)."""
        if not isinstance(instance, dict):
            raise BadInput("instances[%d]: expected an object of feature values" % index)
        unknown = sorted(set(instance) - {f["name"] for f in self.features})
        if unknown:
            raise BadInput("instances[%d]: unknown feature(s) %s" % (index, ", ".join(unknown)))
        x = []
        for feature in self.features:
            name = feature["name"]
            if name not in instance:
                raise BadInput("instances[%d]: missing feature %s" % (index, name))
            value = instance[name]
            if feature["type"] == "boolean":
                if value not in (True, False, 0, 1) or isinstance(value, float):
                    raise BadInput("instances[%d].%s: expected true, false, 0 or 1" % (index, name))
                value = float(value)
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                raise BadInput("instances[%d].%s: expected a number" % (index, name))
            try:
                value = float(value)
            except OverflowError:
                value = math.inf
            if not math.isfinite(value):
                raise BadInput("instances[%d].%s: expected a finite number" % (index, name))
            x.append(value)
        return x

    def predict(self, x):
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale))
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        return {"churn_probability": round(p, 6), "churn": p >= self.threshold}


# ---------------------------------------------------------------------------------------------
# Server state and metrics


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.model = None
        self.load_error = None
        self.draining = False
        self.started = time.time()
        self.in_flight = 0
        self.requests = {}  # (handler, method, code) -> count
        self.predictions = 0
        self.latency_buckets = [0] * len(LATENCY_BUCKETS)
        self.latency_sum = 0.0
        self.latency_count = 0

    def observe(self, handler, method, code, seconds):
        with self.lock:
            key = (handler, method, str(code))
            self.requests[key] = self.requests.get(key, 0) + 1
            if handler == "/predict":
                self.latency_sum += seconds
                self.latency_count += 1
                for i, bound in enumerate(LATENCY_BUCKETS):
                    if seconds <= bound:
                        self.latency_buckets[i] += 1

    def metrics(self):
        with self.lock:
            model = self.model
            lines = [
                "# HELP churn_requests_total HTTP requests served, by handler, method and status code.",
                "# TYPE churn_requests_total counter",
            ]
            for (handler, method, code), count in sorted(self.requests.items()):
                lines.append('churn_requests_total{handler="%s",method="%s",code="%s"} %d' % (handler, method, code, count))
            lines += [
                "# HELP churn_requests_in_flight POST /predict requests being handled right now (the queue, for autoscaling).",
                "# TYPE churn_requests_in_flight gauge",
                "churn_requests_in_flight %d" % self.in_flight,
                "# HELP churn_predictions_total Instances scored.",
                "# TYPE churn_predictions_total counter",
                "churn_predictions_total %d" % self.predictions,
                "# HELP churn_predict_duration_seconds Time to answer POST /predict.",
                "# TYPE churn_predict_duration_seconds histogram",
            ]
            for bound, count in zip(LATENCY_BUCKETS, self.latency_buckets):
                lines.append('churn_predict_duration_seconds_bucket{le="%s"} %d' % (repr(bound), count))
            lines += [
                'churn_predict_duration_seconds_bucket{le="+Inf"} %d' % self.latency_count,
                "churn_predict_duration_seconds_sum %.6f" % self.latency_sum,
                "churn_predict_duration_seconds_count %d" % self.latency_count,
                "# HELP churn_model_ready Whether the weights are loaded and the server takes predictions.",
                "# TYPE churn_model_ready gauge",
                "churn_model_ready %d" % (model is not None and not self.draining),
                "# HELP churn_model_info The model served.",
                "# TYPE churn_model_info gauge",
            ]
            if model is not None:
                lines.append('churn_model_info{name="%s",version="%s"} 1' % (model.name, model.version))
            lines += [
                "# HELP process_start_time_seconds Start time of the process since the Unix epoch, in seconds.",
                "# TYPE process_start_time_seconds gauge",
                "process_start_time_seconds %.3f" % self.started,
            ]
        return "\n".join(lines) + "\n"


STATE = State()


def load_model(model_dir):
    weights_dir = os.path.join(model_dir, "weights")
    try:
        model = Model(weights_dir)
    except Exception as e:  # noqa: BLE001 -- any failure leaves the server alive but not ready
        STATE.load_error = "%s: %s" % (type(e).__name__, e)
        log("model failed to load; /ready stays 503", error=STATE.load_error, weights=weights_dir)
        return
    STATE.model = model
    log("model loaded", model=model.name, version=model.version, features=len(model.features))


# ---------------------------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "churn-server/1"
    timeout = 30  # idle keep-alive connections are closed after this long
    metrics_only = False  # set on the metrics listener's subclass

    def log_message(self, fmt, *args):
        pass  # requests are counted in /metrics; probes would flood the log

    def send_json(self, status, body):
        self.send_body(status, json.dumps(body), "application/json")

    def send_body(self, status, text, content_type):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.status = status

    def handle_one(self, method):
        start = time.monotonic()
        path = self.path.split("?", 1)[0]
        self.status = 500
        counted = path == "/predict"
        if counted:
            with STATE.lock:
                STATE.in_flight += 1
        try:
            route = None if self.metrics_only and path != "/metrics" else ROUTES.get((method, path))
            if route is None:
                known = not self.metrics_only and any(p == path for (_, p) in ROUTES)
                self.close_connection = self.close_connection or method == "POST"
                self.send_json(405 if known else 404, {"error": "method not allowed" if known else "not found"})
            else:
                route(self)
        except Exception as e:  # noqa: BLE001
            log("request failed", path=path, error="%s: %s" % (type(e).__name__, e))
            self.close_connection = True
            self.send_json(500, {"error": "internal error"})
        finally:
            if counted:
                with STATE.lock:
                    STATE.in_flight -= 1
            handler = path if any(p == path for (_, p) in ROUTES) else "other"
            STATE.observe(handler, method, self.status, time.monotonic() - start)

    def do_GET(self):
        self.handle_one("GET")

    def do_HEAD(self):
        self.handle_one("HEAD")

    def do_POST(self):
        self.handle_one("POST")

    # -- routes

    def healthz(self):
        self.send_json(200, {"status": "alive"})

    def ready(self):
        model = STATE.model
        if STATE.draining:
            self.send_json(503, {"status": "shutting down"})
        elif model is None:
            self.send_json(503, {"status": "loading" if STATE.load_error is None else "failed", "error": STATE.load_error})
        else:
            self.send_json(200, {"status": "ready", "model": model.name, "version": model.version})

    def metrics(self):
        self.send_body(200, STATE.metrics(), "text/plain; version=0.0.4; charset=utf-8")

    def predict(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self.send_json(411 if "Content-Length" not in self.headers else 400, {"error": "expected a Content-Length header"})
            return
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self.send_json(413, {"error": "expected a body of at most %d bytes" % MAX_BODY_BYTES})
            return
        body = self.rfile.read(length)
        model = STATE.model
        if model is None:
            self.send_json(503, {"error": "model not loaded"})
            return
        try:
            try:
                request = json.loads(body.decode("utf-8"), parse_constant=lambda c: _reject(c))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise BadInput("expected a JSON body: %s" % e)
            instances = request.get("instances") if isinstance(request, dict) else None
            if not isinstance(instances, list) or not instances:
                raise BadInput('expected {"instances": [{...features...}, ...]} with at least one instance')
            if len(instances) > MAX_INSTANCES:
                raise BadInput("expected at most %d instances per request" % MAX_INSTANCES)
            rows = [model.features_of(i, x) for i, x in enumerate(instances)]
        except BadInput as e:
            self.send_json(400, {"error": str(e)})
            return
        predictions = [model.predict(x) for x in rows]
        with STATE.lock:
            STATE.predictions += len(predictions)
        self.send_json(200, {"predictions": predictions, "model": model.name, "model_version": model.version})


def _reject(constant):
    raise BadInput("expected finite numbers, not %s" % constant)


ROUTES = {
    ("GET", "/healthz"): Handler.healthz,
    ("HEAD", "/healthz"): Handler.healthz,
    ("GET", "/ready"): Handler.ready,
    ("HEAD", "/ready"): Handler.ready,
    ("GET", "/metrics"): Handler.metrics,
    ("POST", "/predict"): Handler.predict,
}


class MetricsHandler(Handler):
    metrics_only = True


class Server(ThreadingHTTPServer):
    daemon_threads = True  # in-flight requests do not hold up the exit
    allow_reuse_address = True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Churn scorer (logistic regression), standard library only.")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--metrics-port", type=int, default=0, help="serve /metrics on this port instead of --port")
    parser.add_argument("--model-dir", default=os.environ.get("MODEL_PATH") or os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args(argv)

    servers = [Server((args.host, args.port), Handler)]
    if args.metrics_port and args.metrics_port != args.port:
        servers.append(Server((args.host, args.metrics_port), MetricsHandler))

    def stop(signum, _frame):
        # Kubernetes has already drained the endpoint (preStop) when SIGTERM comes: stop at once.
        STATE.draining = True
        log("stopping", signal=signal.Signals(signum).name)
        for s in servers:
            threading.Thread(target=s.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=load_model, args=(args.model_dir,), daemon=True).start()
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True).start()
    log("serving", port=args.port, metrics_port=args.metrics_port or args.port, uid=os.getuid(),
        model_dir=args.model_dir, python=sys.version.split()[0])
    servers[0].serve_forever(poll_interval=POLL_SECONDS)
    for s in servers:
        s.server_close()
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
