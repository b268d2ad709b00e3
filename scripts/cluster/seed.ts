import { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"
import { DemoProductSpec, seedDemoStore } from "../demo/seed-store"

/**
 * `medusa exec ./scripts/cluster/seed.ts` (run by scripts/cluster/run.mjs on
 * its fresh database): the demo store's region, channel, publishable key,
 * stock location and shipping options, with a larger catalogue of
 * CLUSTER_PRODUCTS products (1-3 stocked variants each) and CLUSTER_STOCK units
 * of every SKU. Prints one line `CLUSTER_SEED {json}` with the ids the driver
 * needs to place orders. The plugin's settings are set by the driver through
 * the admin API, as a merchant would. The admin user (CLUSTER_ADMIN_EMAIL /
 * CLUSTER_ADMIN_PASSWORD) is created here too, as `medusa user` would, to
 * save booting Medusa once more.
 */
export default async function seedCluster({ container }: ExecArgs) {
  const count = Number(process.env.CLUSTER_PRODUCTS ?? 30)
  const stock = Number(process.env.CLUSTER_STOCK ?? 400)
  const products: DemoProductSpec[] = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, "0")
    // 1, 2 or 3 variants: 30 products give 60 SKUs.
    const sizes = ["A", "B", "C"].slice(0, (i % 3) + 1)
    return {
      title: `Cluster Product ${n}`,
      handle: `cluster-product-${n}`,
      variants: sizes.map((s) => ({ title: `Size ${s}`, sku: `CL-${n}-${s}`, price: 10 + i, stock, weight: 100 + i })),
    }
  })
  const seeded = await seedDemoStore(container, { products })

  const email = process.env.CLUSTER_ADMIN_EMAIL ?? "admin@cluster.local"
  const password = process.env.CLUSTER_ADMIN_PASSWORD ?? "cluster-admin"
  const {
    result: [user],
  } = await createUsersWorkflow(container).run({ input: { users: [{ email }] } })
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
  if (error || !authIdentity) throw new Error(`could not register the admin user: ${error}`)
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })

  process.stdout.write(`CLUSTER_SEED ${JSON.stringify(seeded)}\n`)
}
