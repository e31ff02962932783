-- CreateTable
CREATE TABLE "customer_message" (
    "id" BIGSERIAL NOT NULL,
    "app_id" TEXT NOT NULL,
    "signature" TEXT,
    "timestamp" TEXT,
    "nonce" TEXT,
    "openid" TEXT,
    "encrypt_type" TEXT,
    "msg_signature" TEXT,
    "to_username" TEXT NOT NULL,
    "from_username" TEXT NOT NULL,
    "msg_type" TEXT NOT NULL,
    "msg_info" JSONB NOT NULL,
    "msg_id" TEXT,
    "encrypt" TEXT,
    "dedup_key" TEXT NOT NULL,
    "msg_create_time" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "data_format" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delete_time" TIMESTAMPTZ(3),

    CONSTRAINT "customer_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customer_message_conversation_idx" ON "customer_message"("app_id", "from_username", "msg_create_time");

-- CreateIndex
CREATE INDEX "customer_message_app_time_idx" ON "customer_message"("app_id", "msg_create_time");

-- CreateIndex
CREATE UNIQUE INDEX "customer_message_app_id_dedup_key_key" ON "customer_message"("app_id", "dedup_key");
