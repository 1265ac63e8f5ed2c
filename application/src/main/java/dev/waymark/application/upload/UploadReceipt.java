package dev.waymark.application.upload;

import dev.waymark.domain.location.RejectedItem;
import java.util.List;

/** What an upload did: items stored, items already stored, items refused. */
public record UploadReceipt(
    UploadKind kind, int processedCount, int duplicateCount, List<RejectedItem> rejected) {

  public UploadReceipt {
    rejected = List.copyOf(rejected);
  }
}
