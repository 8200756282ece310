"""`immcourt sample`: synthetic EOIR releases in the real format, with an oracle of what they contain.

The data are invented (see SAMPLE-README.txt in every release); only the layout, code lists and the
shape of the distributions follow the real releases.
"""

from __future__ import annotations

from .generate import DEFAULT_RELEASE_DATE, SampleError, SampleResult, generate

__all__ = ["DEFAULT_RELEASE_DATE", "SampleError", "SampleResult", "generate"]
