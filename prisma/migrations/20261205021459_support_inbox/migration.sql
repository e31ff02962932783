-- CreateTable
CREATE TABLE "support_user" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "support_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "support_session" (
    "id_hash" TEXT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "support_session_pkey" PRIMARY KEY ("id_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "support_user_name_key" ON "support_user"("name");

-- CreateIndex
CREATE INDEX "support_session_user_idx" ON "support_session"("user_id");

-- CreateIndex
CREATE INDEX "support_session_expires_idx" ON "support_session"("expires_at");

-- AddForeignKey
ALTER TABLE "support_session" ADD CONSTRAINT "support_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "support_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
