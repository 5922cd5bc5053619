/// Bizing 's pure domain: availability, pricing, policies, permissions, masking. No I/O.
