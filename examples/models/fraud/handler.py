"""TorchServe handler for the fraud model: scores card transactions.

Request body (JSON), one or more transactions per request:

    {"instances": [[0.8, 4.1, 0.26, -0.97, 0.7, 2.3, 0, 3], ...]}

each row the NUM_FEATURES engineered features in the order FraudNet was trained on (see
FEATURES). TorchServe batches up to `batchSize` requests into one call of `handle`; the rows of
all of them go through the model together and each request gets its own answer (a malformed
request fails its batch with HTTP 400):

    {"predictions": [{"label": "fraud", "fraud_probability": 0.93}, ...]}

`initialize` is BaseHandler's: it imports model.py (the .mar's model file), builds FraudNet,
loads model.pt (the serialized file, a state dict) onto the worker's device, calls eval(), and
reads index_to_name.json into self.mapping. model-config.yaml's `handler:` section sets the
decision threshold.
"""
import json
import logging

import torch
import torch.nn.functional as F
from ts.torch_handler.base_handler import BaseHandler
from ts.utils.util import PredictionException

logger = logging.getLogger(__name__)

FEATURES = [
    "amount_zscore",  # amount vs. the card's own history, in standard deviations
    "log_amount",  # log(1 + amount in dollars)
    "hour_sin",  # time of day, as a point on the unit circle
    "hour_cos",
    "merchant_risk",  # the merchant category's historical fraud rate, 0..1
    "log_distance_km",  # log(1 + distance from the card's home location)
    "card_present",  # 1 for chip/contactless, 0 for card-not-present
    "txn_count_24h",  # transactions on the card in the last 24 hours
]
NUM_FEATURES = len(FEATURES)


class FraudHandler(BaseHandler):
    """Eager-mode FraudNet (model.py + model.pt), softmax over (legitimate, fraud)."""

    def initialize(self, context):
        super().initialize(context)
        settings = (getattr(context, "model_yaml_config", None) or {}).get("handler", {})
        self.threshold = float(settings.get("threshold", 0.5))
        if int(settings.get("num_features", NUM_FEATURES)) != NUM_FEATURES:
            raise ValueError("model-config.yaml says %s features; this handler reads %d" % (settings["num_features"], NUM_FEATURES))
        self.rows_per_request = []
        logger.info("fraud model ready on %s (threshold %.2f)", self.device, self.threshold)

    def preprocess(self, data):
        """One float tensor [rows, NUM_FEATURES] from every request of the batch."""
        rows = []
        self.rows_per_request = []
        for request in data:
            body = request.get("data") if request.get("data") is not None else request.get("body")
            try:
                if isinstance(body, (bytes, bytearray)):
                    body = json.loads(body.decode("utf-8"))
                instances = body.get("instances") if isinstance(body, dict) else None
                if not isinstance(instances, list) or not instances:
                    raise ValueError('expected {"instances": [[%d numbers], ...]}' % NUM_FEATURES)
                for row in instances:
                    if not isinstance(row, list) or len(row) != NUM_FEATURES:
                        raise ValueError("expected each instance to hold %d numbers: %s" % (NUM_FEATURES, ", ".join(FEATURES)))
                    rows.append([float(v) for v in row])
            except (ValueError, TypeError) as e:  # bad JSON, shape or values: the client's fault
                raise PredictionException(str(e), 400) from e
            self.rows_per_request.append(len(instances))
        return torch.tensor(rows, dtype=torch.float32, device=self.device)

    def postprocess(self, data):
        """Fraud probabilities, split back into one answer per request."""
        probabilities = F.softmax(data, dim=1)[:, 1].tolist()
        answers, start = [], 0
        for count in self.rows_per_request:
            predictions = []
            for p in probabilities[start:start + count]:
                index = str(int(p >= self.threshold))
                predictions.append({"label": self.mapping.get(index, index) if self.mapping else index, "fraud_probability": round(p, 6)})
            answers.append({"predictions": predictions})
            start += count
        return answers
