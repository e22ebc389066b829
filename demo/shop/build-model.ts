/**
 * `npm run demo:train-recommender`: trains the demo shop's recommender from every demo customer's
 * orders (customers.json) and writes recommender-model.json, which the demo services only read.
 * A test fails when the file is stale.
 */
import { writeFileSync } from "node:fs";
import { trainRecommender } from "../../shared/recommend/index.ts";
import { loadShop, trainingLines } from "./catalogue.ts";
import { DEMO_TRAINING_PARAMS, MODEL_FILE } from "./recommender.ts";

const model = trainRecommender(trainingLines(loadShop()), DEMO_TRAINING_PARAMS);
writeFileSync(MODEL_FILE, JSON.stringify(model) + "\n");
console.log(`${MODEL_FILE}: ${model.items.length} products, ${model.trainedOn.baskets} orders of ${model.trainedOn.users} customers`);
