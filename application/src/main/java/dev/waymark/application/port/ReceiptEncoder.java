package dev.waymark.application.port;

import dev.waymark.application.upload.UploadReceipt;
import dev.waymark.domain.idempotency.StoredResponse;

/**
 * Out-port: turns an upload's receipt into the exact response sent to the client, so the same
 * bytes can be stored and replayed. Implemented by the web adapter, which owns the wire format.
 */
public interface ReceiptEncoder {

  StoredResponse encode(UploadReceipt receipt);
}
