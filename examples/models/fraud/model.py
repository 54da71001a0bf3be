"""The fraud model's definition (the .mar's model file, for eager mode).

TorchServe's BaseHandler imports this file and instantiates its one nn.Module class with no
arguments, then loads model.pt (a state dict saved with torch.save(model.state_dict(), ...)).
"""
from torch import nn


class FraudNet(nn.Module):
    """A small MLP: 8 engineered transaction features -> logits for (legitimate, fraud)."""

    def __init__(self, num_features=8, hidden=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(num_features, hidden),
            nn.ReLU(),
            nn.Dropout(0.1),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 2),
        )

    def forward(self, x):
        return self.net(x)
