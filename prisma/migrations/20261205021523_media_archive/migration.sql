-- CreateTable
CREATE TABLE "media_archive" (
    "app_id" TEXT NOT NULL,
    "media_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "sha256" TEXT,
    "reason" TEXT,
    "errcode" INTEGER,
    "rid" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "media_archive_pkey" PRIMARY KEY ("app_id","media_id")
);

-- CreateTable
CREATE TABLE "media_blob" (
    "sha256" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage" TEXT NOT NULL,
    "bytes" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "media_blob_pkey" PRIMARY KEY ("sha256")
);

-- CreateIndex
CREATE INDEX "media_archive_status_received_idx" ON "media_archive"("status", "received_at");
