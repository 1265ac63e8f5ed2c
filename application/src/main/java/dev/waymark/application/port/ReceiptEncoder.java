package dev.waymark.application.port;

import dev.waymark.application.upload.UploadReceipt;
import dev.waymark.application.upload.UploadKind;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.RejectedItem;
import java.util.List;

/**
 * Out-port: turns an upload's receipt into the exact response sent to the client, so the same
 * bytes can be stored and replayed. Implemented by the web adapter, which owns the wire format.
 */
public interface ReceiptEncoder {

  StoredResponse encode(UploadReceipt receipt);

  /**
   * The response of an upload of {@code kind} that refused {@code rejected}, with the two
   * counts left open: {@code template(k, r).fill(p, d)} equals
   * {@code encode(new UploadReceipt(k, p, d, r))} byte for byte.
   */
  ResponseTemplate template(UploadKind kind, List<RejectedItem> rejected);
}
