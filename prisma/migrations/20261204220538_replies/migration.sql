-- CreateTable
CREATE TABLE "customer_reply" (
    "id" BIGSERIAL NOT NULL,
    "app_id" TEXT NOT NULL,
    "openid" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "msg_type" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "sent_by" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errcode" INTEGER,
    "errmsg" TEXT,
    "rid" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "customer_reply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_window" (
    "app_id" TEXT NOT NULL,
    "openid" TEXT NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "replies_left" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversation_window_pkey" PRIMARY KEY ("app_id","openid")
);

-- CreateIndex
CREATE INDEX "customer_reply_conversation_idx" ON "customer_reply"("app_id", "openid", "created_at");

-- CreateIndex
CREATE INDEX "customer_reply_app_time_idx" ON "customer_reply"("app_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "customer_reply_app_id_idempotency_key_key" ON "customer_reply"("app_id", "idempotency_key");
